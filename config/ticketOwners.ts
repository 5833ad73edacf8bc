import { JsonFields, isJsonObject, joinPath, type JsonObject } from './jsonFields.ts';

/** Where an issue belongs, for the owner lookup. bu and product come from tags in other Hammer modules. */
export interface OwnerScope {
  accountId?: string | undefined;
  bu?: string | undefined;
  product?: string | undefined;
}

export type TicketProperty = 'jira_project' | 'jira_owner' | 'jira_parent_ticket' | 'slack_owner';
const PROPERTIES: readonly TicketProperty[] = ['jira_project', 'jira_owner', 'jira_parent_ticket', 'slack_owner'];

/**
 * ticket_owners.json. Each property is looked up in `bu.<bu>.product.<product>`,
 * then `bu.<bu>`, then `account.<account id>`, then the top level; a value
 * that is empty ("" or []) counts as not set and falls through, as in Hammer.
 */
export class TicketOwners {
  private constructor(private readonly root: JsonObject) {}

  static empty(): TicketOwners {
    return new TicketOwners({});
  }

  static fromFile(file: string, parsed: unknown): TicketOwners {
    if (parsed === undefined) return TicketOwners.empty();
    const fields = new JsonFields(file);
    const root = fields.object(parsed, '');
    validateProperties(fields, root, '');
    for (const [accountId, scope] of Object.entries(fields.optionalObject(root, 'account', '') ?? {})) {
      const path = joinPath('account', accountId);
      validateProperties(fields, fields.object(scope, path), path);
    }
    for (const [bu, scope] of Object.entries(fields.optionalObject(root, 'bu', '') ?? {})) {
      const buPath = joinPath('bu', bu);
      const buScope = fields.object(scope, buPath);
      validateProperties(fields, buScope, buPath);
      for (const [product, productScope] of Object.entries(fields.optionalObject(buScope, 'product', buPath) ?? {})) {
        const productPath = joinPath(joinPath(buPath, 'product'), product);
        validateProperties(fields, fields.object(productScope, productPath), productPath);
      }
    }
    return new TicketOwners(root);
  }

  /** The first set value of `property` along the lookup order, or undefined. */
  lookup(property: TicketProperty, scope: OwnerScope = {}): string | string[] | undefined {
    const bu = scope.bu === undefined ? undefined : child(child(this.root, 'bu'), scope.bu);
    const candidates: Array<JsonObject | undefined> = [
      scope.product === undefined ? undefined : child(child(bu, 'product'), scope.product),
      bu,
      scope.accountId === undefined ? undefined : child(child(this.root, 'account'), scope.accountId),
      this.root,
    ];
    for (const candidate of candidates) {
      const value = candidate?.[property];
      if (isSet(value)) return value as string | string[];
    }
    return undefined;
  }

  jiraProject(scope: OwnerScope): string | undefined {
    return asString(this.lookup('jira_project', scope));
  }

  jiraOwner(scope: OwnerScope): string | undefined {
    return asString(this.lookup('jira_owner', scope));
  }

  jiraParentTicket(scope: OwnerScope): string | undefined {
    return asString(this.lookup('jira_parent_ticket', scope));
  }

  /** The Slack owners of one scope: a string is a list of one. */
  slackOwners(scope: OwnerScope): string[] {
    const value = this.lookup('slack_owner', scope);
    if (value === undefined) return [];
    return typeof value === 'string' ? [value] : [...value];
  }

  /**
   * Everybody a Slack report about an issue goes to: the top-level owners when
   * `notifyDefaultOwner`, plus the issue's own owners, without duplicates.
   */
  slackRecipients(scope: OwnerScope, notifyDefaultOwner: boolean): string[] {
    const owners = [...(notifyDefaultOwner ? this.slackOwners({}) : []), ...this.slackOwners(scope)];
    return [...new Set(owners.filter((owner) => owner.trim() !== ''))];
  }
}

function child(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = parent?.[key];
  return isJsonObject(value) ? value : undefined;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function asString(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

function validateProperties(fields: JsonFields, scope: JsonObject, path: string): void {
  for (const property of PROPERTIES) {
    const value = scope[property];
    if (value === undefined || value === null) continue;
    const propertyPath = joinPath(path, property);
    if (property === 'slack_owner') fields.stringOrList(value, propertyPath);
    else if (typeof value !== 'string') fields.fail(propertyPath, 'a string', value);
  }
}
