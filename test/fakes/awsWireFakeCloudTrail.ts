/**
 * CloudTrail operations of the AWS wire fake (JSON 1.1 protocol): what the
 * service answers to DescribeTrails, GetTrailStatus, GetEventSelectors and
 * GetTrail for the trails of the fake's state, and StartLogging, which
 * changes it as CloudTrail does, within the caller's rights: only the
 * trail's owner may start it (an organization trail seen from a member
 * account is unknown to the member, as CloudTrail answers a non-management
 * account), and only in the trail's home region.
 */
import type { GetEventSelectorsResponse, GetTrailResponse, GetTrailStatusResponse, StartLoggingResponse, Trail, DescribeTrailsResponse } from '@aws-sdk/client-cloudtrail';
import { FakeAwsError, findTrail, trailArnOf, visibleTrails, type FakeAwsState, type FakeTrail, type VisibleTrail } from './awsWireFakeState.ts';
import { checkTrailEventSelectors, eventSelectorsAnswer, type TrailEventSelectors } from './cloudTrailEventSelectors.ts';

export interface CloudTrailCall {
  operation: string;
  accountId: string;
  region: string;
  params: Record<string, unknown>;
  /** The fake's clock, for the times a write records (StartLoggingTime). */
  now?: Date;
}

export function answerCloudTrail(call: CloudTrailCall, state: FakeAwsState): DescribeTrailsResponse | GetTrailStatusResponse | GetEventSelectorsResponse | GetTrailResponse | StartLoggingResponse {
  switch (call.operation) {
    case 'DescribeTrails': return describeTrails(call, state);
    case 'GetTrailStatus': {
      const seen = namedTrail(call, state, 'Name');
      return seen.fake.statusByRegion?.[call.region] ?? seen.fake.status ?? { IsLogging: true };
    }
    case 'GetEventSelectors': {
      const seen = namedTrail(call, state, 'TrailName');
      return { TrailARN: seen.arn, ...eventSelectorsAnswer(seen.arn, customSelectors(seen.fake)) };
    }
    case 'GetTrail': return { Trail: trailShape(namedTrail(call, state, 'Name')) };
    case 'StartLogging': return startLogging(call, state);
    default:
      throw new FakeAwsError('UnknownOperationException', `The wire fake does not implement CloudTrail ${call.operation}`);
  }
}

/**
 * StartLogging: the caller's own trail, in its home region; logging starts
 * (in every region's status, `StartLoggingTime` = now). A trail of another
 * account (an organization trail seen from a member) is unknown to the
 * caller, as CloudTrail answers it; a shadow outside its home region
 * answers InvalidHomeRegionException.
 */
function startLogging(call: CloudTrailCall, state: FakeAwsState): StartLoggingResponse {
  const seen = namedTrail(call, state, 'Name');
  if (seen.owner !== call.accountId) {
    throw new FakeAwsError('TrailNotFoundException', `Unknown trail: ${seen.arn} for the user: ${call.accountId}`);
  }
  if (seen.fake.trail.HomeRegion !== call.region) {
    throw new FakeAwsError('InvalidHomeRegionException', `This operation must be called from the trail's home region ${seen.fake.trail.HomeRegion}: ${seen.arn}`);
  }
  const started = { IsLogging: true, StartLoggingTime: call.now ?? new Date() };
  seen.fake.status = { ...seen.fake.status, ...started };
  for (const region of Object.keys(seen.fake.statusByRegion ?? {})) {
    const byRegion = seen.fake.statusByRegion as Record<string, GetTrailStatusResponse>;
    byRegion[region] = { ...byRegion[region], ...started };
  }
  return {};
}

function describeTrails(call: CloudTrailCall, state: FakeAwsState): DescribeTrailsResponse {
  const { includeShadowTrails, trailNameList } = call.params;
  if (includeShadowTrails !== undefined && typeof includeShadowTrails !== 'boolean') {
    throw new FakeAwsError('SerializationException', 'includeShadowTrails must be a boolean');
  }
  if (trailNameList !== undefined && !(Array.isArray(trailNameList) && trailNameList.every((name) => typeof name === 'string'))) {
    throw new FakeAwsError('SerializationException', 'trailNameList must be a list of strings');
  }
  let seen = visibleTrails(state, call.accountId, call.region);
  if (includeShadowTrails === false) seen = seen.filter((trail) => !trail.shadow);
  if (trailNameList !== undefined && trailNameList.length > 0) {
    seen = seen.filter((trail) => trailNameList.includes(trail.arn) || (!trail.shadow && trailNameList.includes(trail.fake.trail.Name)));
  }
  return { trailList: seen.map(trailShape) };
}

/** What the trail's owner set with PutEventSelectors, or undefined when it never did. */
function customSelectors(fake: FakeTrail): TrailEventSelectors | undefined {
  if (fake.eventSelectors === undefined && fake.advancedEventSelectors === undefined) return undefined;
  return {
    ...(fake.eventSelectors === undefined ? {} : { EventSelectors: fake.eventSelectors }),
    ...(fake.advancedEventSelectors === undefined ? {} : { AdvancedEventSelectors: fake.advancedEventSelectors }),
  };
}

/**
 * Throws when a trail of the world is one AWS could not hold: selectors
 * PutEventSelectors would refuse, or a HasCustomEventSelectors flag that
 * disagrees with them (AWS sets it exactly when PutEventSelectors was called).
 */
export function checkFakeTrail(owner: string, fake: FakeTrail): void {
  const arn = trailArnOf(owner, fake);
  const selectors = customSelectors(fake);
  if (selectors !== undefined) checkTrailEventSelectors(arn, selectors);
  const flag = fake.trail.HasCustomEventSelectors;
  if (flag !== undefined && flag !== (selectors !== undefined)) {
    throw new Error(`fake AWS world: ${arn} has HasCustomEventSelectors ${String(flag)} but ${selectors === undefined ? 'no custom selectors' : 'custom selectors'}; AWS sets the flag exactly when PutEventSelectors was called`);
  }
}

function trailShape(seen: VisibleTrail): Trail {
  const { fake } = seen;
  checkFakeTrail(seen.owner, fake);
  return {
    ...fake.trail,
    TrailARN: seen.arn,
    HasCustomEventSelectors: customSelectors(fake) !== undefined,
  };
}

function namedTrail(call: CloudTrailCall, state: FakeAwsState, parameter: 'Name' | 'TrailName'): VisibleTrail {
  const name = call.params[parameter];
  if (typeof name !== 'string' || name === '') {
    throw new FakeAwsError('InvalidTrailNameException', `${parameter} is required: a trail name or ARN`);
  }
  if (name.startsWith('arn:')) {
    if (!/^arn:aws[\w-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[\w.-]+$/.test(name)) {
      throw new FakeAwsError('CloudTrailARNInvalidException', `Invalid trail ARN: ${name}`);
    }
  } else if (!/^[A-Za-z0-9][\w.-]{2,127}$/.test(name)) {
    throw new FakeAwsError('InvalidTrailNameException', `Trail name ${name} is invalid: use 3 to 128 letters, digits, periods, underscores or dashes, starting with a letter or digit`);
  }
  const seen = findTrail(state, call.accountId, call.region, name);
  if (!seen) throw new FakeAwsError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${call.accountId}`);
  return seen;
}
