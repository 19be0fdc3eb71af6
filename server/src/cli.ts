import { UsageError } from './cli/args';
import { addClaimsProviderCommand } from './cli/addClaimsProvider';
import { runBuild } from './cli/build';
import { CHECK_USAGE, checkCommand } from './cli/check';
import type { CommandIo } from './cli/io';

/** The commands of `b2c-policy`, each a module of cli/ with its own usage text. */
const COMMANDS: Record<string, (args: string[], io: CommandIo) => number> = {
  check: checkCommand,
  'add-claims-provider': addClaimsProviderCommand,
  build: (args, io) => runBuild(args, { ...io, cwd: process.cwd() }),
};

const USAGE = `Usage: b2c-policy <command> [options]

Commands:
  check                 check policy files (b2c-policy check --help)
  add-claims-provider   add an identity provider to an Extensions file
  build                 build the policies of each environment of appsettings.json (b2c-policy build --help)

${CHECK_USAGE}`;

/** Runs one command; returns the exit code (0 ok, 1 findings with errors, 2 usage or I/O error). */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE + '\n');
    return 0;
  }
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    err(`b2c-policy: ${command ? `unknown command '${command}'` : 'missing command'}; try 'b2c-policy --help'\n`);
    return 2;
  }
  try {
    return run(rest, { out, err });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    err(`b2c-policy: ${message.split('\n')[0]}${e instanceof UsageError ? `; try 'b2c-policy ${command} --help'` : ''}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
