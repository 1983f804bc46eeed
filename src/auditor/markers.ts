/**
 * Hidden markers in what the Auditor posts, so later runs can recognise its own reviews and
 * findings. Model text never carries HTML comments (they are stripped), so it cannot forge one.
 */
export interface AuditMarker {
  runId: string;
  phaseId: string;
  attempt: number;
  sha: string;
}

export function auditMarker(m: AuditMarker): string {
  return `<!-- autopack:audit run=${m.runId} phase=${m.phaseId} attempt=${m.attempt} sha=${m.sha} -->`;
}

const AUDIT_MARKER = /<!-- autopack:audit run=(\S+) phase=(\S+) attempt=(\d+) sha=([0-9a-f]{7,64}) -->/;

export function parseAuditMarker(body: string | null | undefined): AuditMarker | null {
  const m = AUDIT_MARKER.exec(body ?? "");
  if (m === null) return null;
  return { runId: m[1] ?? "", phaseId: m[2] ?? "", attempt: Number(m[3]), sha: m[4] ?? "" };
}

export function findingMarker(key: string): string {
  return `<!-- autopack:finding key=${key} -->`;
}

export function parseFindingKeys(body: string | null | undefined): string[] {
  return [...(body ?? "").matchAll(/<!-- autopack:finding key=([0-9a-f]{8,64}) -->/g)].map((m) => m[1] ?? "");
}

/** Text without Autopack's hidden markers (what people see). */
export function stripMarkers(body: string): string {
  return body
    .replace(/<!-- autopack:(?:audit|finding) [^>]*-->\n?/g, "")
    .replace(/[ \t]+$/gm, "")
    .trim();
}
