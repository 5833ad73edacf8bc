/**
 * Users on the two JIRA deployments: Jira Server/Data Center names users by
 * `name` (user name) and searches with `username=`; Jira Cloud names them by
 * `accountId`, has no `name`, and searches with `query=` (display name or
 * e-mail) or `accountId=`.
 */

export type JiraDeployment = 'server' | 'cloud';

/** A user as /myself and the user searches answer (the fields this client reads). */
export interface JiraUser {
  name?: string;
  key?: string;
  accountId?: string;
  displayName?: string;
  emailAddress?: string;
  active?: boolean;
}

/** The id the deployment uses for a user: `name` on Server, `accountId` on Cloud. */
export function userId(user: JiraUser, deployment: JiraDeployment): string | undefined {
  const id = deployment === 'cloud' ? user.accountId : user.name;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Jira Cloud account ids: 24 hex digits, or the older `<digits>:<uuid>`. */
const CLOUD_ACCOUNT_ID = /^(?:[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function looksLikeAccountId(value: string): boolean {
  return CLOUD_ACCOUNT_ID.test(value);
}

/** The query parameters of /rest/api/2/user/assignable/search for `wanted` in `project`. */
export function assignableSearchQuery(project: string, wanted: string, deployment: JiraDeployment): Record<string, string> {
  if (deployment === 'server') return { project, username: wanted, maxResults: '50' };
  return looksLikeAccountId(wanted) ? { project, accountId: wanted, maxResults: '50' } : { project, query: wanted, maxResults: '50' };
}

/**
 * The user the search answer means by `wanted`: the one whose id, key,
 * e-mail or display name equals it (case-insensitive; ids first), else the
 * only user found (Hammer's rule), else none (several users match a prefix).
 */
export function pickUser(users: readonly JiraUser[], wanted: string, deployment: JiraDeployment): JiraUser | undefined {
  const candidates = users.filter((user) => user.active !== false && userId(user, deployment) !== undefined);
  const same = (value: string | undefined) => value !== undefined && value.toLowerCase() === wanted.toLowerCase();
  return (
    candidates.find((user) => same(userId(user, deployment))) ??
    candidates.find((user) => same(user.key)) ??
    candidates.find((user) => same(user.emailAddress)) ??
    onlyOne(candidates.filter((user) => same(user.displayName))) ??
    onlyOne(candidates)
  );
}

function onlyOne<T>(list: readonly T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}

/** The body of PUT /rest/api/2/issue/{key}/assignee. */
export function assigneeBody(id: string, deployment: JiraDeployment): Record<string, string> {
  return deployment === 'cloud' ? { accountId: id } : { name: id };
}
