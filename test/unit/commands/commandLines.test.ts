/**
 * Every command answers --help with its usage (exit 0) and a bad command
 * line with the reason and the usage on stderr (exit 2), never a stack
 * trace: scan, demo and credentials in this process, and the package's
 * command `hammer-cloudtrails` (the bin) as a child process.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runDemoCommand } from '../../../commands/demo.ts';
import { runScanCommand } from '../../../commands/scan.ts';
import { runCredentialsCommand } from '../../../reporting/ddb_inject_credentials.ts';
import { REPOSITORY_ROOT, runProcess } from '../../helpers/builtLambdas.ts';
import { captureIo, type CapturedIo } from '../../helpers/commandIo.ts';

const test = suite('command lines');

type Command = (argv: string[], io: CapturedIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: RegExp }> = {
  scan: { run: (argv, io) => runScanCommand(argv, io), usage: /^usage: hammer-cloudtrails scan \[options\]/ },
  demo: { run: (argv, io) => runDemoCommand(argv, io), usage: /^usage: npm run demo/ },
  credentials: {
    run: (argv, io) => runCredentialsCommand(argv, { env: {}, print: (line) => io.stdout.write(`${line}\n`), printError: (line) => io.stderr.write(`${line}\n`) }),
    usage: /^usage: npm run credentials -- /,
  },
};

const STACK_FRAME = /\n\s+at /;

for (const [name, command] of Object.entries(COMMANDS)) {
  test(`${name} --help prints its usage on stdout and exits 0`, async () => {
    for (const flag of ['--help', '-h']) {
      const io = captureIo();
      const code = await command.run([flag], io);
      assert.is(code, 0, `${name} ${flag}: ${io.err()}`);
      assert.match(io.out(), command.usage);
      assert.is(io.err(), '');
    }
  });

  test(`${name} with an unknown option prints the reason and the usage on stderr and exits 2, without a stack trace`, async () => {
    const io = captureIo();
    const code = await command.run(['--no-such-option'], io);
    assert.is(code, 2);
    assert.match(io.err(), `${name}: Unknown option '--no-such-option'`);
    assert.match(io.err().split('\n\n')[1] ?? '', command.usage);
    assert.not.match(io.err(), STACK_FRAME);
    assert.is(io.out(), '');
  });
}

test('scan refuses bad values before it looks for credentials: format, accounts, regions, --write without --config', async () => {
  const cases: Array<[string[], string]> = [
    [['--format', 'xml'], "scan: --format must be one of table, json, csv, not 'xml'"],
    [['--accounts', ','], 'scan: --accounts needs at least one account id'],
    [['--accounts', '12345'], "scan: --accounts: '12345' is not a 12-digit AWS account id"],
    [['--regions', 'westeurope'], "scan: --regions: unknown region 'westeurope' (region names look like eu-west-1)"],
    [['--write'], 'scan: --write needs --config <dir>'],
    [['--config', '/no/such/folder'], 'scan: invalid config: /no/such/folder: (root): expected a config folder holding config.json, found no such folder'],
    [['extra'], "scan: Unexpected argument 'extra'"],
  ];
  for (const [argv, reason] of cases) {
    const io = captureIo();
    assert.is(await runScanCommand(argv, io), 2, argv.join(' '));
    assert.match(io.err(), reason);
    assert.not.match(io.err(), STACK_FRAME);
  }
});

test('the hammer-cloudtrails command answers --help, runs a command\'s --help, and refuses an unknown command with exit 2', async () => {
  const bin = join(REPOSITORY_ROOT, 'commands', 'hammer-cloudtrails.mjs');
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const [help, scanHelp, unknown] = await Promise.all([
    runProcess(process.execPath, [bin, '--help'], { cwd: REPOSITORY_ROOT, env }),
    runProcess(process.execPath, [bin, 'credentials', '--help'], { cwd: REPOSITORY_ROOT, env }),
    runProcess(process.execPath, [bin, 'nonsense'], { cwd: REPOSITORY_ROOT, env }),
  ]);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: hammer-cloudtrails <command> \[options\]/);
  for (const command of ['scan', 'demo', 'report', 'credentials']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
  assert.is(scanHelp.code, 0, scanHelp.stderr);
  assert.match(scanHelp.stdout, /^usage: npm run credentials -- /);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, "hammer-cloudtrails: unknown command 'nonsense'");
  assert.not.match(unknown.stderr, STACK_FRAME);
});

test('the script commands (report, remediate, bench, bench:reporting, build, the Terraform checks) answer --help with exit 0 and an unknown option with the usage and exit 2', async () => {
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const scripts: Array<{ args: string[]; usage: RegExp }> = [
    { args: ['--import', 'tsx', 'reporting/reportCommand.ts'], usage: /usage: npm run report -- / },
    { args: ['--import', 'tsx', 'remediation/remediateCommand.ts'], usage: /usage: npm run remediate -- / },
    { args: ['--import', 'tsx', 'test/bench/run.ts'], usage: /usage: npm run bench / },
    { args: ['--import', 'tsx', 'test/bench/reportingBench.ts'], usage: /usage: npm run bench:reporting / },
    { args: ['build.mjs'], usage: /usage: node build.mjs / },
    { args: ['deployment/terraform/checks.mjs'], usage: /usage: node deployment\/terraform\/checks.mjs / },
  ];
  const outcomes = await Promise.all(scripts.flatMap(({ args }) => [
    runProcess(process.execPath, [...args, '--help'], { cwd: REPOSITORY_ROOT, env }),
    runProcess(process.execPath, [...args, '--no-such-option'], { cwd: REPOSITORY_ROOT, env }),
  ]));
  scripts.forEach(({ args, usage }, index) => {
    const [help, bad] = [outcomes[2 * index], outcomes[2 * index + 1]];
    const name = args[args.length - 1];
    assert.is(help?.code, 0, `${name} --help: ${help?.stderr}`);
    assert.match(help?.stdout ?? '', usage);
    assert.is(bad?.code, 2, `${name} --no-such-option: ${bad?.stdout}${bad?.stderr}`);
    assert.match(bad?.stderr ?? '', /no-such-option/);
    assert.match(bad?.stderr ?? '', usage);
    assert.not.match(bad?.stderr ?? '', STACK_FRAME);
  });
});

test.run();
