import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./knowledge.handlers.ts";
import * as routes from "./knowledge.routes.ts";

export const knowledgeRouter = createRouter()
  .openapi(routes.createKnowledgeBase, handlers.createKnowledgeBase)
  .openapi(routes.listKnowledgeBases, handlers.listKnowledgeBases)
  .openapi(routes.getKnowledgeBase, handlers.getKnowledgeBase)
  .openapi(routes.updateKnowledgeBase, handlers.updateKnowledgeBase)
  .openapi(routes.deleteKnowledgeBase, handlers.deleteKnowledgeBase)
  .openapi(routes.uploadDocuments, handlers.uploadDocuments)
  .openapi(routes.listDocuments, handlers.listDocuments)
  .openapi(routes.deleteDocument, handlers.deleteDocument)
  .openapi(routes.addSource, handlers.addSource)
  .openapi(routes.listSources, handlers.listSources)
  .openapi(routes.syncSource, handlers.syncSource)
  .openapi(routes.deleteSource, handlers.deleteSource)
  .openapi(routes.searchKnowledgeBase, handlers.searchKnowledgeBase);
