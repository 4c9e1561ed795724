import { createHash } from "node:crypto";

/**
 * sha256 (hex) of a document's extracted text or raw bytes. Text is hashed after collapsing
 * whitespace, so a re-sync skips pages whose content did not change even if their markup
 * or line wrapping did. Hash extracted text, not raw HTML: navigation and footers change
 * for reasons that do not matter to the knowledge base.
 */
export function contentHash(content: string | Uint8Array): string {
  const hash = createHash("sha256");
  if (typeof content === "string") hash.update(content.replace(/\s+/g, " ").trim(), "utf8");
  else hash.update(content);
  return hash.digest("hex");
}
