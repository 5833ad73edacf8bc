/**
 * Organisations for the AWS wire fake: a management account, member accounts
 * with generated ids and names (some suspended), optionally spread over nested
 * OUs. Shared by the tests and the benchmark (1,000 accounts).
 */
import type { FakeAccount, FakeOrganization, FakeOrganizationAccount } from '../fakes/awsWireFake.ts';

export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const ROOT_ID = 'r-a1b2';

/** The 12-digit id of the nth generated member (1-based): 400000000001, 400000000002, ... */
export function memberAccountId(index: number): string {
  return String(400_000_000_000 + index);
}

export interface OrganizationShape {
  managementAccountId: string;
  /** Generated members (ACTIVE unless listed in `suspended`). */
  members: number;
  /** 1-based indexes of generated members that are SUSPENDED. */
  suspended?: number[];
  /** Accounts to add as they are (given ids, names, states, parents). */
  extra?: FakeOrganizationAccount[];
  /** OUs (id -> parent and name); generated members are spread over `memberParents` round-robin. */
  organizationalUnits?: Record<string, { parentId: string; name: string }>;
  memberParents?: string[];
  delegatedAdministrators?: string[];
}

export function fakeOrganization(shape: OrganizationShape): FakeOrganization {
  const suspended = new Set(shape.suspended ?? []);
  const parents = shape.memberParents ?? [ROOT_ID];
  const members: FakeOrganizationAccount[] = Array.from({ length: shape.members }, (_, offset) => {
    const index = offset + 1;
    return {
      id: memberAccountId(index),
      name: `member-${String(index).padStart(4, '0')}`,
      state: suspended.has(index) ? 'SUSPENDED' : 'ACTIVE',
      parentId: parents[offset % parents.length] ?? ROOT_ID,
    };
  });
  return {
    id: ORGANIZATION_ID,
    managementAccountId: shape.managementAccountId,
    rootId: ROOT_ID,
    ...(shape.organizationalUnits === undefined ? {} : { organizationalUnits: shape.organizationalUnits }),
    ...(shape.delegatedAdministrators === undefined ? {} : { delegatedAdministrators: shape.delegatedAdministrators }),
    accounts: [{ id: shape.managementAccountId, name: 'management' }, ...members, ...(shape.extra ?? [])],
  };
}

/** The wire fake's account entries for the organisation's members (regions, the cross-account role). */
export function memberFakeAccounts(organization: FakeOrganization, account: Omit<FakeAccount, 'organizationManagementAccount'>): Record<string, FakeAccount> {
  return Object.fromEntries(organization.accounts
    .filter((member) => member.id !== organization.managementAccountId)
    .map((member) => [member.id, { ...account, organizationManagementAccount: organization.managementAccountId }]));
}
