import { chunks, documents, type OrgScope } from "@oratio/db";
import { type Chunk, chunkDocument, type ExtractedDocument } from "@oratio/knowledge";
import { eq } from "drizzle-orm";

const INSERT_BATCH = 200;

/**
 * Replaces a document's chunks with those of its new extraction and marks it ready, in one
 * transaction: searches see either the old chunks or the new ones, never a mix.
 */
export async function indexDocument(
  scope: OrgScope,
  doc: { id: string; knowledgeBaseId: string; language: string },
  extracted: ExtractedDocument,
  meta: { url?: string | undefined; contentHash: string; bytes?: number },
): Promise<number> {
  const pieces: Chunk[] = chunkDocument(extracted, { url: meta.url });
  await scope.db.transaction(async (tx) => {
    await tx.delete(chunks).where(scope.where(chunks, eq(chunks.documentId, doc.id)));
    for (let i = 0; i < pieces.length; i += INSERT_BATCH) {
      await tx.insert(chunks).values(
        pieces.slice(i, i + INSERT_BATCH).map((c) => ({
          orgId: scope.orgId,
          knowledgeBaseId: doc.knowledgeBaseId,
          documentId: doc.id,
          position: c.index,
          text: c.text,
          title: c.title,
          url: c.url ?? null,
          page: c.page ?? null,
          pageEnd: c.pageEnd ?? null,
          headingPath: c.headingPath,
          headingText: c.headingPath.join(" › "),
          charStart: c.start,
          charEnd: c.end,
          tokenCount: c.tokenCount,
          language: doc.language,
        })),
      );
    }
    await tx
      .update(documents)
      .set({
        status: "ready",
        error: null,
        title: extracted.title,
        content: extracted.markdown,
        pages: extracted.pages ?? null,
        pageCount: extracted.pages?.length ?? null,
        chunkCount: pieces.length,
        contentHash: meta.contentHash,
        ...(meta.bytes !== undefined ? { bytes: meta.bytes } : {}),
        updatedAt: new Date(),
      })
      .where(scope.where(documents, eq(documents.id, doc.id)));
  });
  return pieces.length;
}
