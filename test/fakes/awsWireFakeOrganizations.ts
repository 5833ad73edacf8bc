/**
 * AWS Organizations in the AWS wire fake (JSON 1.1 protocol, target
 * `AWSOrganizationsV20161128.<Operation>`): ListAccounts,
 * ListAccountsForParent and ListOrganizationalUnitsForParent over the
 * organisation of the fake's state, paginated with NextToken as the service
 * does (at most 20 items a page), answering what the service answers to a
 * caller that may not ask: AWSOrganizationsNotInUseException for an account
 * outside any organisation, AccessDeniedException for a member that is neither
 * the management account nor a delegated administrator.
 */
import type { Account, ListAccountsForParentResponse, ListAccountsResponse, ListOrganizationalUnitsForParentResponse, OrganizationalUnit } from '@aws-sdk/client-organizations';
import { FakeAwsError, type FakeAwsState, type FakeOrganization, type FakeOrganizationAccount } from './awsWireFakeState.ts';

export interface OrganizationsCall {
  operation: string;
  accountId: string;
  params: Record<string, unknown>;
}

/** The most items Organizations gives in one page of these operations. */
const MAX_RESULTS = 20;
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

export function answerOrganizations(call: OrganizationsCall, state: FakeAwsState): ListAccountsResponse | ListAccountsForParentResponse | ListOrganizationalUnitsForParentResponse {
  const organization = state.organization;
  if (organization === undefined || !isMember(organization, call.accountId)) {
    throw new FakeAwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  if (call.accountId !== organization.managementAccountId && !(organization.delegatedAdministrators ?? []).includes(call.accountId)) {
    throw new FakeAwsError('AccessDeniedException', 'You don\'t have permissions to access this resource.');
  }
  switch (call.operation) {
    case 'ListAccounts': {
      const page = paginate(call, `ListAccounts`, organization.accounts);
      return { Accounts: page.items.map((account) => accountShape(organization, account)), ...(page.next === undefined ? {} : { NextToken: page.next }) };
    }
    case 'ListAccountsForParent': {
      const parentId = parentOf(call, organization);
      const page = paginate(call, `ListAccountsForParent/${parentId}`, organization.accounts.filter((account) => (account.parentId ?? organization.rootId) === parentId));
      return { Accounts: page.items.map((account) => accountShape(organization, account)), ...(page.next === undefined ? {} : { NextToken: page.next }) };
    }
    case 'ListOrganizationalUnitsForParent': {
      const parentId = parentOf(call, organization);
      const units = Object.entries(organization.organizationalUnits ?? {}).filter(([, unit]) => unit.parentId === parentId).map(([id, unit]): OrganizationalUnit => ({
        Id: id,
        Name: unit.name,
        Arn: `arn:aws:organizations::${organization.managementAccountId}:ou/${organization.id}/${id}`,
      }));
      const page = paginate(call, `ListOrganizationalUnitsForParent/${parentId}`, units);
      return { OrganizationalUnits: page.items, ...(page.next === undefined ? {} : { NextToken: page.next }) };
    }
    default:
      throw new FakeAwsError('UnknownOperationException', `The wire fake does not implement Organizations ${call.operation}`);
  }
}

function isMember(organization: FakeOrganization, accountId: string): boolean {
  return accountId === organization.managementAccountId || organization.accounts.some((account) => account.id === accountId);
}

function parentOf(call: OrganizationsCall, organization: FakeOrganization): string {
  const parentId = call.params.ParentId;
  if (typeof parentId !== 'string' || !PARENT_ID.test(parentId)) {
    throw new FakeAwsError('InvalidInputException', 'You provided a value that does not match the required pattern.');
  }
  if (parentId !== organization.rootId && !(parentId in (organization.organizationalUnits ?? {}))) {
    throw new FakeAwsError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
  }
  return parentId;
}

/** One page: MaxResults (1 to 20) or the organisation's page size, whichever is smaller; the token names what it pages. */
function paginate<T>(call: OrganizationsCall, listing: string, all: readonly T[]): { items: T[]; next: string | undefined } {
  const { MaxResults: maxResults, NextToken: token } = call.params;
  if (maxResults !== undefined && (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)) {
    throw new FakeAwsError('InvalidInputException', `MaxResults must be from 1 to ${MAX_RESULTS}.`);
  }
  let offset = 0;
  if (token !== undefined) {
    const decoded = typeof token === 'string' ? decodeToken(token) : undefined;
    if (decoded === undefined || decoded.listing !== listing) throw new FakeAwsError('InvalidInputException', 'You specified an invalid value for nextToken.');
    offset = decoded.offset;
  }
  const size = Math.min(typeof maxResults === 'number' ? maxResults : MAX_RESULTS, MAX_RESULTS);
  const items = all.slice(offset, offset + size);
  const nextOffset = offset + items.length;
  return { items, next: nextOffset < all.length ? Buffer.from(JSON.stringify({ listing, offset: nextOffset })).toString('base64') : undefined };
}

function decodeToken(token: string): { listing: string; offset: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { listing?: unknown; offset?: unknown };
    if (typeof parsed.listing === 'string' && typeof parsed.offset === 'number') return { listing: parsed.listing, offset: parsed.offset };
  } catch {
    return undefined;
  }
  return undefined;
}

function accountShape(organization: FakeOrganization, account: FakeOrganizationAccount): Account {
  const state = account.state ?? 'ACTIVE';
  return {
    Id: account.id,
    Arn: `arn:aws:organizations::${organization.managementAccountId}:account/${organization.id}/${account.id}`,
    Email: account.email ?? `aws+${account.id}@example.com`,
    Name: account.name,
    // Status is the older field (no CLOSED); State replaces it.
    Status: state === 'CLOSED' ? 'SUSPENDED' : state === 'PENDING_ACTIVATION' ? 'ACTIVE' : state,
    State: state,
    JoinedMethod: account.id === organization.managementAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: new Date('2024-05-01T10:00:00Z'),
  };
}
