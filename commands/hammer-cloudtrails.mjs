#!/usr/bin/env node
// `hammer-cloudtrails <command> [options]`: the package's command (package.json
// "bin"), for `npx hammer-cloudtrails ...` in a clone after `npm ci`. Each
// command is a TypeScript module run through tsx (a dev dependency, so this
// works in a clone, not from a production-only install).
import { register } from 'tsx/esm/api';

const USAGE = `usage: hammer-cloudtrails <command> [options]

commands:
  scan          check CloudTrail logging in your AWS account(s) from this machine (read-only unless --write)
  demo          run the whole pipeline through the built Lambdas against a simulated organisation
  report        one reporting run (JIRA tickets, Slack messages) from this host
  credentials   store the JIRA, Slack and API credentials reporting reads

Run \`hammer-cloudtrails <command> --help\` for a command's options.
The same commands: npm run scan|demo|report|credentials -- [options]`;

const COMMANDS = {
  scan: async (args) => (await import('./scan.ts')).runScanCommand(args),
  demo: async (args) => (await import('./demo.ts')).runDemoCommand(args),
  report: async (args) => (await import('../reporting/reportCommand.ts')).runReportCommand(args),
  credentials: async (args) => (await import('../reporting/ddb_inject_credentials.ts')).runCredentialsCommand(args),
};

const [command, ...args] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else if (command === undefined) {
  process.stderr.write(`hammer-cloudtrails: which command?\n\n${USAGE}\n`);
  process.exitCode = 2;
} else if (!Object.hasOwn(COMMANDS, command)) {
  process.stderr.write(`hammer-cloudtrails: unknown command '${command}'\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  register();
  const code = await COMMANDS[command](args);
  const { exitWhenFlushed } = await import('./exitWhenFlushed.ts');
  exitWhenFlushed(code);
}
