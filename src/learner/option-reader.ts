import { describeValue, ModelPerfError, type ModelPerfErrorCode } from '../core/errors.js';
import { toQueryTime } from '../core/time-input.js';
import { checkName, isPlainRecord, ownValue } from '../core/validation.js';

/**
 * Reads one options argument of a learner method (or the policy) field by field. Callers are often
 * plain JavaScript, so every value is checked at run time; a bad one fails with `code`, naming the
 * option, before any storage is read.
 */
export class OptionReader {
  readonly #record: Record<string, unknown>;
  readonly #code: ModelPerfErrorCode;

  constructor(value: unknown, allowed: readonly string[], code: ModelPerfErrorCode) {
    this.#code = code;
    if (value === undefined) {
      this.#record = {};
      return;
    }
    if (!isPlainRecord(value)) this.#fail('options', `expected a plain object, got ${describeValue(value)}`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.#fail(key, `unknown option; expected one of ${allowed.join(', ')}`);
    }
    this.#record = value;
  }

  #value(key: string): unknown {
    return ownValue(this.#record, key);
  }

  #fail(key: string, problem: string): never {
    throw new ModelPerfError(this.#code, `Invalid ${key}: ${problem}`, { field: key });
  }

  /** A whole number within [min, max]. */
  integer(key: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      return this.#fail(key, `expected a whole number from ${min} to ${max}, got ${describeValue(value)}`);
    }
    return value;
  }

  /** A number strictly between 0 and 1, such as a confidence level. */
  openFraction(key: string, fallback: number): number {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== 'number' || !(value > 0 && value < 1)) {
      return this.#fail(key, `expected a number strictly between 0 and 1, got ${describeValue(value)}`);
    }
    return value;
  }

  /** A number from 0 to 1 inclusive, such as a success-rate threshold. */
  closedFraction(key: string, fallback: number): number {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      return this.#fail(key, `expected a number from 0 to 1, got ${describeValue(value)}`);
    }
    return value;
  }

  /** A number above 0 and at most max, or undefined when absent. */
  optionalPositive(key: string, max: number): number | undefined {
    const value = this.#value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value > 0 && value <= max)) {
      return this.#fail(key, `expected a number above 0 and at most ${max}, got ${describeValue(value)}`);
    }
    return value;
  }

  /** A number within [min, max], or undefined when absent. */
  optionalNumber(key: string, min: number, max: number): number | undefined {
    const value = this.#value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      return this.#fail(key, `expected a number from ${min} to ${max}, got ${describeValue(value)}`);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== 'boolean') return this.#fail(key, `expected true or false, got ${describeValue(value)}`);
    return value;
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const value = this.#value(key) ?? fallback;
    const match = choices.find((choice) => choice === value);
    if (match === undefined)
      return this.#fail(key, `expected one of ${choices.join(', ')}, got ${describeValue(value)}`);
    return match;
  }

  /** A function, or the fallback when absent. */
  callable<T extends (...args: never[]) => unknown>(key: string, fallback: T): T {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== 'function') return this.#fail(key, `expected a function, got ${describeValue(value)}`);
    return value as T;
  }

  /** A Date, a date string or an age such as 7d, as ISO 8601 UTC; undefined when absent. */
  optionalTime(key: string): string | undefined {
    const value = this.#value(key);
    return value === undefined ? undefined : toQueryTime(value, key, this.#code);
  }

  requiredTime(key: string): string {
    const value = this.#value(key);
    if (value === undefined) return this.#fail(key, 'required');
    return toQueryTime(value, key, this.#code);
  }

  /** A list of model ids, or undefined when absent. */
  optionalNames(key: string): string[] | undefined {
    const value = this.#value(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.#fail(key, `expected an array of names, got ${describeValue(value)}`);
    return [...new Set(value.map((name: unknown) => checkName(name, key, this.#code)))];
  }

  /** The value itself, for options whose checks belong to the caller (such as a logger). */
  raw(key: string): unknown {
    return this.#value(key);
  }
}
