/**
 * Reading Lambda events, for the handlers only (domain code never sees an event).
 */

/** The SNS messages of an SNS-triggered invocation (`Records[].Sns.Message`), or undefined when the event is not one. */
export function snsMessagesOf(event: unknown): string[] | undefined {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const messages: string[] = [];
  for (const record of records) {
    const message = (record as { Sns?: { Message?: unknown } } | null | undefined)?.Sns?.Message;
    if (typeof message !== 'string') return undefined;
    messages.push(message);
  }
  return messages;
}

/** The account id in a function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`), or undefined. */
export function accountOfFunctionArn(functionArn: string | undefined): string | undefined {
  const account = functionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

const MAX_LOGGED_CHARACTERS = 4096;

/** An event or message as text for a log line, cut at 4 KiB so one bad event cannot flood the log. */
export function describeEventContent(content: unknown): string {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    try {
      text = JSON.stringify(content) ?? String(content);
    } catch {
      text = String(content);
    }
  }
  return text.length > MAX_LOGGED_CHARACTERS ? `${text.slice(0, MAX_LOGGED_CHARACTERS)}… (${text.length} characters)` : text;
}
