/** Where a command writes (stdout, stderr) and from where it resolves relative paths. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}
