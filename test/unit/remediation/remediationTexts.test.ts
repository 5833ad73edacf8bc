import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { failedRemediationComment, remediatedComment, startLoggingFailure, stillNotCovered } from '../../../remediation/remediationTexts.ts';

const test = suite('remediationTexts');
const FACTS = { accountId: '210987654321', accountName: 'slave1', region: 'eu-west-1' };
const MAIN = 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/main';

test('success names the trails started, then says it was remediated by hammer, as Hammer\'s clean_* comments', () => {
  assert.is(remediatedComment(FACTS, [MAIN]), `Logging was started on trail ${MAIN}. CloudTrail logging issue with 'eu-west-1' in 'slave1 / 210987654321' account was remediated by hammer`);
  assert.match(remediatedComment(FACTS, [MAIN, `${MAIN}2`]), `Logging was started on trails ${MAIN}, ${MAIN}2. `);
});

test('failure gives the reason and asks to check manually', () => {
  const reason = startLoggingFailure(MAIN, 'AccessDeniedException', 'User: arn:aws:sts::210987654321:assumed-role/r/s is not authorized to perform: cloudtrail:StartLogging.');
  assert.is(failedRemediationComment(FACTS, reason),
    `Failed to remediate CloudTrail logging issue with 'eu-west-1' in 'slave1 / 210987654321' account: StartLogging of trail ${MAIN} failed with AccessDeniedException (User: arn:aws:sts::210987654321:assumed-role/r/s is not authorized to perform: cloudtrail:StartLogging). Please, check manually`);
  assert.is(startLoggingFailure(MAIN, 'TrailNotFoundException', 'TrailNotFoundException'), `StartLogging of trail ${MAIN} failed with TrailNotFoundException`);
  assert.is(stillNotCovered([MAIN], true), `the region is still not covered after logging was started on ${MAIN}`);
  assert.is(stillNotCovered([MAIN], false), `logging was started on ${MAIN}, but the region has delivery errors now`);
});

test.run();
