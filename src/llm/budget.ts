import type { TokenBudget } from "./port.js";

/** A simple budget: `remaining` tokens, reduced by every call's usage. */
export class SimpleTokenBudget implements TokenBudget {
  #remaining: number;
  #spent = 0;
  constructor(remaining: number) {
    this.#remaining = Math.max(0, Math.floor(remaining));
  }
  get remaining(): number {
    return this.#remaining;
  }
  get spent(): number {
    return this.#spent;
  }
  spend(tokens: number): void {
    const n = Math.max(0, Math.floor(tokens));
    this.#spent += n;
    this.#remaining = Math.max(0, this.#remaining - n);
  }
}
