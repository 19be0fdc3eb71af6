/** A mistake in the command line: exit code 2 with a one-line message. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Flags that take a value (`--format json` or `--format=json`). */
  values: readonly string[];
  /** Flags without a value. */
  switches: readonly string[];
  /** Flags that may be given several times (their values collect in order). */
  repeated?: readonly string[];
}

export interface ParsedArgs {
  values: Map<string, string[]>;
  switches: Set<string>;
  positional: string[];
}

/**
 * Parses a command line: `--flag value`, `--flag=value`, switches, positional arguments, and `--`, after which
 * every argument is positional (for paths that start with a dash). Unknown flags are usage errors.
 */
export function parseArgs(args: string[], spec: OptionSpec): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), switches: new Set(), positional: [] };
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyPositional || !arg.startsWith('-') || arg === '-') {
      parsed.positional.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositional = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.switches.includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      parsed.switches.add(flag);
      continue;
    }
    if (!spec.values.includes(flag)) throw new UsageError(`unknown option '${flag}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    const list = parsed.values.get(flag);
    if (list && !spec.repeated?.includes(flag)) throw new UsageError(`${flag} given twice`);
    if (list) list.push(value);
    else parsed.values.set(flag, [value]);
  }
  return parsed;
}

/** The single value of a flag, if given. */
export function valueOf(parsed: ParsedArgs, flag: string): string | undefined {
  return parsed.values.get(flag)?.[0];
}
