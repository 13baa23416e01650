import type { CommonPasswordCheck } from "@gatehouse/core";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/** Below 10^8 estimated guesses (zxcvbn score ≤ 2) a password falls to an online or cheap offline attack. */
const minGuessesLog10 = 8;
/** zxcvbn's matching grows faster than linearly; nothing this long is on a common-password list. */
const maxCheckedLength = 100;

let factory: ZxcvbnFactory | null = null;

/**
 * ~49k leaked passwords plus zxcvbn's patterns (keyboard walks, repeats, dates, l33t), all local:
 * no network. Built on first use so processes that never set a password don't pay for it.
 */
export const zxcvbnCommonPasswordCheck: CommonPasswordCheck = async (password) => {
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const result = await factory.check(password.slice(0, maxCheckedLength));
  return result.guessesLog10 < minGuessesLog10;
};
