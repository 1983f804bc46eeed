import { sanitiseUntrusted } from "../policy/untrusted.js";

/** Files larger than this are never shown to the model nor edited by it. */
export const MAX_FILE_BYTES = 100_000;

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of a file, or null when it is binary (a NUL byte, or not valid UTF-8). */
export function decodeText(bytes: Uint8Array): string | null {
  const probe = bytes.subarray(0, 8_000);
  if (probe.includes(0)) return null;
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * True when the model sees the file differently from what it is (HTML comments stripped, secrets
 * redacted, invisible characters removed, block tags neutralised), line endings aside.
 */
export function isAlteredInPrompt(content: string): boolean {
  const plain = content.replace(/\r\n?/g, "\n");
  return sanitiseUntrusted(content) !== plain || /<\/?untrusted/i.test(content);
}
