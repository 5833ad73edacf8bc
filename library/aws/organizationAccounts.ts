/**
 * The accounts of an AWS organisation, read from AWS Organizations: every
 * account (ListAccounts), or the accounts under chosen roots and OUs, nested
 * OUs included (ListAccountsForParent, ListOrganizationalUnitsForParent). All
 * pages are read (NextToken).
 */
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';

export interface OrganizationAccount {
  id: string;
  /** The account's name in the organisation ("" when Organizations gives none). */
  name: string;
  /**
   * ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION...: the
   * account's `State`, else its older `Status` (retired by AWS in September 2026).
   */
  state: string;
}

/** One Organizations call that failed, with the operation it was, for the log. */
export class OrganizationReadError extends Error {
  override readonly name = 'OrganizationReadError';
  constructor(readonly operation: string, options: { cause: unknown }) {
    super(`AWS Organizations ${operation} failed`, options);
  }
}

/** Items per page: the most Organizations gives for these operations. */
const PAGE_SIZE = 20;

export async function listOrganizationAccounts(client: OrganizationsClient, parentIds: readonly string[]): Promise<OrganizationAccount[]> {
  if (parentIds.length === 0) return (await pages('ListAccounts', (token) => client.send(new ListAccountsCommand({ NextToken: token, MaxResults: PAGE_SIZE })), (page) => page.Accounts)).map(toAccount);

  const found = new Map<string, OrganizationAccount>();
  const seenParents = new Set<string>();
  const queue = [...parentIds];
  // Breadth first through the OU tree; each parent once (a root and one of its OUs may both be listed).
  while (queue.length > 0) {
    const parentId = queue.shift() as string;
    if (seenParents.has(parentId)) continue;
    seenParents.add(parentId);
    const accounts = await pages('ListAccountsForParent', (token) => client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: PAGE_SIZE })), (page) => page.Accounts);
    for (const account of accounts.map(toAccount)) found.set(account.id, account);
    const units = await pages('ListOrganizationalUnitsForParent', (token) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: PAGE_SIZE })), (page) => page.OrganizationalUnits);
    for (const unit of units) if (unit.Id !== undefined) queue.push(unit.Id);
  }
  return [...found.values()];
}

async function pages<P extends { NextToken?: string | undefined }, T>(operation: string, read: (token: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seenTokens = new Set<string>();
  do {
    let page: P;
    try {
      page = await read(token);
    } catch (err: unknown) {
      throw new OrganizationReadError(operation, { cause: err });
    }
    all.push(...(items(page) ?? []));
    token = page.NextToken || undefined;
    // A token seen before would loop for ever: stop rather than hang the scan.
    if (token !== undefined && seenTokens.has(token)) throw new OrganizationReadError(operation, { cause: new Error(`NextToken ${token} repeated`) });
    if (token !== undefined) seenTokens.add(token);
  } while (token !== undefined);
  return all;
}

function toAccount(account: Account): OrganizationAccount {
  return { id: account.Id ?? '', name: account.Name ?? '', state: String(account.State ?? account.Status ?? 'UNKNOWN') };
}
