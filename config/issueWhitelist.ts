import { JsonFields, joinPath, type JsonObject } from './jsonFields.ts';

/**
 * One module's section of whitelist.json (or temp_whitelist_issues.json):
 * `{"<account id>": ["<region>", ...]}`. Keys starting with `__comment__` are
 * comments. Matching is exact (Python's `in` on a comment string would match substrings).
 */
export class IssueWhitelist {
  private constructor(private readonly byAccount: ReadonlyMap<string, ReadonlySet<string>>) {}

  static empty(): IssueWhitelist {
    return new IssueWhitelist(new Map());
  }

  /** Reads `section` of a parsed whitelist file; other sections are kept out and ignored. */
  static fromFile(file: string, parsed: unknown, section: string): IssueWhitelist {
    if (parsed === undefined) return IssueWhitelist.empty();
    const fields = new JsonFields(file);
    const root = fields.object(parsed, '');
    const moduleSection: JsonObject | undefined = fields.optionalObject(root, section, '');
    const byAccount = new Map<string, Set<string>>();
    for (const [accountId, issues] of Object.entries(moduleSection ?? {})) {
      if (accountId.startsWith('__comment__')) continue;
      const path = joinPath(section, accountId);
      const list = fields.stringOrList(issues, path);
      byAccount.set(accountId, new Set(list));
    }
    return new IssueWhitelist(byAccount);
  }

  has(accountId: string, issueId: string): boolean {
    return this.byAccount.get(accountId)?.has(issueId) ?? false;
  }

  /** The whitelisted issue ids of each account (for logs and tests). */
  entries(): Array<[string, string[]]> {
    return [...this.byAccount].map(([account, ids]) => [account, [...ids]]);
  }
}
