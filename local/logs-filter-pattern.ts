import { LogsError } from './errors';

/** Whether one log event's message matches a filter pattern. */
export type MessageMatcher = (message: string) => boolean;

/**
 * Compiles the subset of CloudWatch Logs filter patterns that the `webhooks deliveries` command
 * sends, matching as CloudWatch does: the empty pattern matches every event; a JSON pattern
 * `{ … }` matches only events whose message is a JSON object, by string comparisons
 * `$.a.b = "value"` (`*` in the value matches any run of characters, `\"` is a quote) joined by
 * `&&` or `||`, grouped with parentheses. Mixing `&&` and `||` needs parentheses here, so no
 * precedence rule is guessed. Anything else (terms, `!=`, numbers, `IS NULL`, regular expressions)
 * is refused with InvalidParameterException saying what the stand-in supports, rather than
 * matched differently from CloudWatch.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * @throws {LogsError} InvalidParameterException for a pattern outside the subset.
 */
export function compileFilterPattern(pattern: string | undefined): MessageMatcher {
  const text = pattern?.trim() ?? '';
  if (text === '') return () => true;
  const parser = new Parser(text);
  const condition = parser.pattern();
  return (message) => {
    if (!message.startsWith('{')) return false;
    let document: unknown;
    try {
      document = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof document === 'object' && document !== null && !Array.isArray(document) && condition(document);
  };
}

type Condition = (document: object) => boolean;

const SUPPORTED = 'the local CloudWatch Logs stand-in supports the empty pattern and JSON patterns of $.field = "value" comparisons joined by && or || with parentheses';

class Parser {
  #at = 0;

  constructor(readonly text: string) {}

  pattern(): Condition {
    this.#expect('{');
    const condition = this.#expression();
    this.#expect('}');
    this.#skipSpace();
    if (this.#at < this.text.length) this.#fail(`unexpected "${this.text.slice(this.#at, this.#at + 10)}" after the closing brace`);
    return condition;
  }

  #expression(): Condition {
    const terms = [this.#term()];
    let joiner: '&&' | '||' | undefined;
    for (;;) {
      this.#skipSpace();
      const next = this.text.slice(this.#at, this.#at + 2);
      if (next !== '&&' && next !== '||') break;
      if (joiner !== undefined && joiner !== next) this.#fail('&& and || are mixed without parentheses');
      joiner = next;
      this.#at += 2;
      terms.push(this.#term());
    }
    if (terms.length === 1) return terms[0] as Condition;
    return joiner === '&&' ? (document) => terms.every((term) => term(document)) : (document) => terms.some((term) => term(document));
  }

  #term(): Condition {
    this.#skipSpace();
    if (this.text[this.#at] === '(') {
      this.#at++;
      const inner = this.#expression();
      this.#expect(')');
      return inner;
    }
    const path = this.#selector();
    this.#skipSpace();
    if (this.text.startsWith('!=', this.#at)) this.#fail('the != comparison is not supported');
    this.#expect('=');
    const matches = wildcard(this.#quoted());
    return (document) => {
      const value = valueAt(document, path);
      return typeof value === 'string' && matches(value);
    };
  }

  /** `$.a.b` as its keys. */
  #selector(): string[] {
    this.#skipSpace();
    if (this.text[this.#at] !== '$') this.#fail(`expected a $.field selector at "${this.text.slice(this.#at, this.#at + 10)}"`);
    this.#at++;
    const keys: string[] = [];
    while (this.text[this.#at] === '.') {
      const key = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.#at + 1))?.[0];
      if (key === undefined) this.#fail('expected a field name after "."');
      keys.push(key);
      this.#at += 1 + key.length;
    }
    if (keys.length === 0) this.#fail('expected $.field');
    return keys;
  }

  #quoted(): string {
    this.#skipSpace();
    if (this.text[this.#at] !== '"') this.#fail('values must be double-quoted strings');
    let value = '';
    for (let at = this.#at + 1; at < this.text.length; at++) {
      const char = this.text[at] as string;
      if (char === '"') {
        this.#at = at + 1;
        return value;
      }
      if (char === '\\' && at + 1 < this.text.length) value += this.text[++at];
      else value += char;
    }
    return this.#fail('a quoted value is not closed');
  }

  #expect(token: string): void {
    this.#skipSpace();
    if (!this.text.startsWith(token, this.#at)) this.#fail(`expected "${token}" at position ${this.#at}`);
    this.#at += token.length;
  }

  #skipSpace(): void {
    while (/\s/.test(this.text[this.#at] ?? '')) this.#at++;
  }

  #fail(problem: string): never {
    throw new LogsError('InvalidParameterException', `Invalid filter pattern: ${problem}; ${SUPPORTED}.`);
  }
}

/** A matcher for a value in which `*` stands for any run of characters. */
function wildcard(value: string): (candidate: string) => boolean {
  if (!value.includes('*')) return (candidate) => candidate === value;
  const source = value.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (candidate) => regex.test(candidate);
}

function valueAt(document: object, path: readonly string[]): unknown {
  let current: unknown = document;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
