/**
 * `npm run demo` (also `hammer-cloudtrails demo`): builds the Lambda zips and
 * runs the whole pipeline as deployed, through the built handlers, against a
 * simulated organisation on this machine (demo/demoWorld.ts), and prints what
 * it found, the tickets and Slack messages that went out, and how the issues
 * moved when the world changed. Thin: the world is demo/demoWorld.ts, the
 * machinery demo/demoPipeline.ts, the printing demo/demoOutput.ts.
 */
import { pathToFileURL } from 'node:url';
import { parseCommandLine, processIo, type CommandIo } from '../library/cli/commandLine.ts';
import { renderIntroduction, renderScene } from '../demo/demoOutput.ts';
import { DemoError, playScene, startDemoRig } from '../demo/demoPipeline.ts';
import { DEMO_SCENES } from '../demo/demoWorld.ts';
import { exitWhenFlushed } from './exitWhenFlushed.ts';

export const USAGE = `usage: npm run demo        (or: hammer-cloudtrails demo)

Builds the Lambda zips (build.mjs) and runs the scan, reporting, real-time and
remediation pipeline through the built handlers against a simulated
organisation on this machine: CloudTrail, STS, SNS, EC2 and Security Hub
answered by a local fake, DynamoDB by dynalite, JIRA and Slack by local
fakes. No network, no credentials.

Prints on stdout the findings table of each scan, the JIRA tickets and Slack
messages that went out, the findings sent to Security Hub, and the issues'
lifecycle when the world changes (one account fixed, another broken, a trail
stopped and found at once by the real-time path, a trail blinded by its event
selectors, a stopped trail restarted by remediation); progress goes to stderr.

options:
  -h, --help    this help

exit codes: 0 the demo ran, 1 it could not run (the reason is on stderr)`;

export async function runDemoCommand(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const parsed = parseCommandLine('demo', USAGE, argv, {}, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  // The demo's own AWS clients only talk to the local fakes: the SDK's Node 20
  // support notice is not the demo's news (unless asked for, it stays quiet).
  io.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= io.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const started = Date.now();
  const progress = (line: string): void => {
    io.stderr.write(`demo: ${line}\n`);
  };
  io.stdout.write(`${renderIntroduction()}\n`);
  let rig;
  try {
    rig = await startDemoRig(progress);
  } catch (err: unknown) {
    io.stderr.write(`demo: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    for (const [index, scene] of DEMO_SCENES.entries()) {
      progress(`scene ${index + 1}: ${scene.title}`);
      const record = await playScene(rig, scene, progress);
      io.stdout.write(`\n${renderScene(record, index)}\n`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout.write(`\n${rig.invocations} invocations of the built Lambdas; fakes, build and scenes took ${seconds} s. Next: scan your own account with\n` +
      '`npm run scan -- --help` (read-only, your AWS credentials), or deploy: README, "Deploy an environment".\n');
    return 0;
  } catch (err: unknown) {
    if (!(err instanceof DemoError)) throw err;
    io.stderr.write(`demo: ${err.message}\n`);
    return 1;
  } finally {
    await rig.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  exitWhenFlushed(await runDemoCommand(process.argv.slice(2)));
}
