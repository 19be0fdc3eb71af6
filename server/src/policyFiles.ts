import * as fs from 'fs';

/** Text as the editor sees it: without the UTF-8 byte-order mark (positions then match VS Code's). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readPolicyText(file: string): string {
  return stripBom(fs.readFileSync(file, 'utf8'));
}

/** Writes new content (without BOM) to a file, keeping the byte-order mark the file had. */
export function writeKeepingBom(file: string, text: string): void {
  const hadBom = fs.readFileSync(file, 'utf8').charCodeAt(0) === 0xfeff;
  fs.writeFileSync(file, (hadBom ? '\ufeff' : '') + text);
}
