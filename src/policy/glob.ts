/**
 * Path globs from plans (`scope`) and from `.github/autopack.yml` (`denied_paths`), matched against
 * every path of a repository. A glob is never turned into a regular expression: a backtracking
 * engine can take seconds per path on a crafted glob (`*a*a*a…`, nested alternations). Here a glob
 * is a list of path segments matched by following every way it can go at once (an NFA walk), so a
 * match costs at most (path length × length of the expanded glob) steps, whatever the glob. Braces
 * are expanded up front, at most {@link MAX_GLOB_ALTERNATIVES} ways, and a glob is at most
 * {@link MAX_GLOB_CHARS} characters long.
 *
 * The syntax is picomatch's with `dot: true`, less what could not be matched that way or reads
 * ambiguously, which {@link globProblem} refuses with a reason:
 * - `*` any characters but `/` (dot files too), `?` one, `[abc]` `[a-z]` `[!a]` `[^a]` a class;
 * - `**` as a whole segment: any number of segments, none included (`src/**` matches `src` too);
 * - `{a,b}` alternatives (nested too), `\x` the character x; a leading `./` is dropped;
 * - refused: extglobs (`@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`), a leading `!` (negation), brace ranges
 *   and other groups without a comma, POSIX classes, `/` inside a class, unclosed `[` or `{`, a stray
 *   `}`, `**` inside a name (picomatch reads it two ways), an absolute path, `..` or `.` segments, empty
 *   segments and a trailing `/`.
 */

export const MAX_GLOB_CHARS = 200;
export const MAX_GLOB_ALTERNATIVES = 32;

type Token =
  { kind: "literal"; char: string } | { kind: "any" } | { kind: "star" } | { kind: "class"; negated: boolean; ranges: [string, string][] };

type Segment = { kind: "globstar" } | { kind: "part"; tokens: Token[] };

export interface GlobOptions {
  /** Match letters in any case (the path policy does: on many clones `.ENV` is `.env`). */
  nocase?: boolean;
}

export type PathMatcher = (path: string) => boolean;

class GlobError extends Error {}

const EXTGLOB = /(^|[^\\])[@!+*?]\(/;
/** Where an expanded `{…}` group begins and ends (globs cannot hold control characters). */
const GROUP_MARK = "\u0001";

/** Why a glob cannot be used, in words for the person who wrote it, or null when it can. */
export function globProblem(glob: string): string | null {
  try {
    compile(glob, false);
    return null;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}

/** A matcher for one glob, or null when the glob cannot be used (see {@link globProblem}). */
export function globMatcher(glob: string, options: GlobOptions = {}): PathMatcher | null {
  const nocase = options.nocase ?? false;
  const key = `${nocase ? "i" : "c"}:${glob}`;
  let cached = cache.get(key);
  if (cached === undefined) {
    let alternatives: Segment[][] | null;
    try {
      alternatives = compile(glob, nocase);
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
      alternatives = null;
    }
    cached = alternatives === null ? null : matcherOf(alternatives, nocase);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, cached);
  }
  return cached;
}

/** True when any of the globs matches; globs that cannot be used match nothing. */
export function anyGlob(globs: readonly string[], options: GlobOptions = {}): PathMatcher {
  const matchers = globs.map((g) => globMatcher(g, options)).filter((m): m is PathMatcher => m !== null);
  return (path) => matchers.some((m) => m(path));
}

const MAX_CACHED = 2_000;
const cache = new Map<string, PathMatcher | null>();

function matcherOf(alternatives: Segment[][], nocase: boolean): PathMatcher {
  return (path) => {
    const parts = (nocase ? path.toLowerCase() : path).split("/");
    return alternatives.some((segments) => matchSegments(segments, parts));
  };
}

// Compiling

function compile(raw: string, nocase: boolean): Segment[][] {
  if (raw.length === 0) throw new GlobError("is empty");
  if (raw.length > MAX_GLOB_CHARS) throw new GlobError(`is ${raw.length} characters long; a glob can be at most ${MAX_GLOB_CHARS}`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new GlobError("has a control character");
  const glob = raw.startsWith("./") ? raw.slice(2) : raw;
  if (glob.startsWith("!")) throw new GlobError("starts with `!` (negation), which is not supported; list the paths to include instead");
  if (EXTGLOB.test(glob))
    throw new GlobError("uses an extglob such as `+(…)` or `@(…)`, which is not supported; use `*`, `**`, `?`, `[…]` or `{a,b}`");
  return expandBraces(glob).map((alternative) => segmentsOf(alternative, nocase));
}

/** The glob with its `{a,b}` groups expanded (escapes and classes kept as written). */
function expandBraces(glob: string): string[] {
  let i = 0;
  // A sequence up to a `,` or `}` of the enclosing group (or the end): its expansions.
  const sequence = (inGroup: boolean): string[] => {
    let out = [""];
    const append = (text: string) => (out = out.map((o) => o + text));
    while (i < glob.length) {
      const c = glob[i]!;
      if (c === "\\") {
        if (i + 1 >= glob.length) throw new GlobError("ends with a lone `\\`");
        append(glob.slice(i, i + 2));
        i += 2;
      } else if (c === "[") {
        const end = classEnd(glob, i);
        append(glob.slice(i, end));
        i = end;
      } else if (c === "{") {
        i += 1;
        const options: string[] = [];
        let commas = 0;
        for (;;) {
          options.push(...sequence(true));
          if (i >= glob.length) throw new GlobError("has a `{` that is never closed");
          if (glob[i] === "}") break;
          commas += 1;
          i += 1; // the comma
        }
        i += 1; // the `}`
        if (commas === 0) {
          throw new GlobError(
            "has a `{…}` group without a comma; a group lists alternatives, such as `{ts,tsx}` (ranges such as `{1..3}` are not supported)",
          );
        }
        // The marks keep a `*` before a group and one after it from reading as `**` once expanded.
        const product: string[] = [];
        for (const o of out) for (const option of options) product.push(`${o}${GROUP_MARK}${option}${GROUP_MARK}`);
        if (product.length > MAX_GLOB_ALTERNATIVES) {
          throw new GlobError(`expands to more than ${MAX_GLOB_ALTERNATIVES} globs through its \`{…}\` groups; split it or use \`*\``);
        }
        out = product;
      } else if (c === "," && inGroup) {
        return out;
      } else if (c === "}") {
        if (inGroup) return out;
        throw new GlobError("has a `}` without its `{`");
      } else {
        append(c);
        i += 1;
      }
    }
    return out;
  };
  return sequence(false);
}

/** The index just past the `]` that closes the class opening at `start`. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i += 1;
  if (glob[i] === "]") i += 1; // a `]` first is a member
  for (; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") i += 1;
    else if (c === "/") throw new GlobError("has `/` inside a `[…]` class; a class matches one character of a name");
    else if (c === "[" && glob[i + 1] === ":")
      throw new GlobError("uses a POSIX class such as `[[:alpha:]]`, which is not supported; write the characters, such as `[a-z]`");
    else if (c === "]") return i + 1;
  }
  throw new GlobError("has a `[` that is never closed (write `\\[` for the character)");
}

function segmentsOf(glob: string, nocase: boolean): Segment[] {
  const bare = glob.replaceAll(GROUP_MARK, "");
  if (bare.startsWith("/")) throw new GlobError("starts with `/`; globs are relative to the repository root");
  if (bare.endsWith("/")) throw new GlobError("ends with `/`; write `folder/**` for everything under a folder");
  const parts = splitSegments(glob);
  return parts.map((part) => {
    const name = part.replaceAll(GROUP_MARK, "");
    if (name === "") throw new GlobError("has an empty path segment (`//`)");
    if (name === "." || name === "..") throw new GlobError("has a `.` or `..` segment; globs name paths inside the repository");
    if (part === "**") return { kind: "globstar" };
    return { kind: "part", tokens: tokensOf(part, nocase) };
  });
}

/** Splits on `/` outside classes and escapes (classes cannot hold `/`: {@link classEnd}). */
function splitSegments(glob: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\") {
      current += glob.slice(i, i + 2);
      i += 1;
    } else if (c === "[") {
      const end = classEnd(glob, i);
      current += glob.slice(i, end);
      i = end - 1;
    } else if (c === "/") {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function tokensOf(part: string, nocase: boolean): Token[] {
  const fold = (s: string) => (nocase ? s.toLowerCase() : s);
  const tokens: Token[] = [];
  const chars = [...part];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === GROUP_MARK) continue;
    if (c === "\\") {
      tokens.push({ kind: "literal", char: fold(chars[i + 1]!) });
      i += 1;
    } else if (c === "*") {
      if (chars[i + 1] === "*") {
        throw new GlobError("has `**` inside a name; `**` stands for whole folders (`src/**/*.ts`), `*` for part of a name");
      }
      tokens.push({ kind: "star" });
    } else if (c === "?") {
      tokens.push({ kind: "any" });
    } else if (c === "[") {
      let j = i + 1;
      const negated = chars[j] === "!" || chars[j] === "^";
      if (negated) j += 1;
      const members: { char: string; escaped: boolean }[] = [];
      let first = true;
      for (; chars[j] !== "]" || first; j++) {
        first = false;
        const escaped = chars[j] === "\\";
        if (escaped) j += 1;
        members.push({ char: fold(chars[j]!), escaped });
      }
      const ranges: [string, string][] = [];
      for (let k = 0; k < members.length; k++) {
        const from = members[k]!.char;
        const dash = members[k + 1];
        // `a-z`, but a `-` first, last or escaped is a member.
        if (dash?.char === "-" && !dash.escaped && k + 2 < members.length) {
          ranges.push([from, members[k + 2]!.char]);
          k += 2;
        } else {
          ranges.push([from, from]);
        }
      }
      tokens.push({ kind: "class", negated, ranges });
      i = j;
    } else {
      tokens.push({ kind: "literal", char: fold(c) });
    }
  }
  return tokens;
}

// Matching: every state the glob can be in at once, one path segment (one character) at a time.

function matchSegments(segments: Segment[], parts: string[]): boolean {
  let active = new Uint8Array(segments.length + 1);
  let next = new Uint8Array(segments.length + 1);
  active[0] = 1;
  skipGlobstars(segments, active);
  for (const part of parts) {
    next.fill(0);
    let any = false;
    for (let i = 0; i < segments.length; i++) {
      if (!active[i]) continue;
      const segment = segments[i]!;
      if (segment.kind === "globstar") next[i] = 1;
      else if (matchPart(segment.tokens, part)) next[i + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    skipGlobstars(segments, next);
    [active, next] = [next, active];
  }
  return active[segments.length] === 1;
}

/** A `**` may match no segment at all. */
function skipGlobstars(segments: Segment[], states: Uint8Array): void {
  for (let i = 0; i < segments.length; i++) if (states[i] && segments[i]!.kind === "globstar") states[i + 1] = 1;
}

function matchPart(tokens: Token[], part: string): boolean {
  let active = new Uint8Array(tokens.length + 1);
  let next = new Uint8Array(tokens.length + 1);
  active[0] = 1;
  skipStars(tokens, active);
  for (const char of part) {
    next.fill(0);
    let any = false;
    for (let i = 0; i < tokens.length; i++) {
      if (!active[i]) continue;
      const token = tokens[i]!;
      if (token.kind === "star") next[i] = 1;
      else if (token.kind === "any" || (token.kind === "literal" ? token.char === char : inClass(token, char))) next[i + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    skipStars(tokens, next);
    [active, next] = [next, active];
  }
  return active[tokens.length] === 1;
}

/** A `*` may match no character at all. */
function skipStars(tokens: Token[], states: Uint8Array): void {
  for (let i = 0; i < tokens.length; i++) if (states[i] && tokens[i]!.kind === "star") states[i + 1] = 1;
}

function inClass(token: Extract<Token, { kind: "class" }>, char: string): boolean {
  const member = token.ranges.some(([from, to]) => char >= from && char <= to);
  return member !== token.negated;
}
