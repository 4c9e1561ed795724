import type { CreateToolInput, Tool } from "@oratio/sdk";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../lib/org-query.ts";

export function useTools() {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({ queryKey: key("tools"), queryFn: ({ signal }) => client.tools.list({ signal }) });
}

export type ToolChanges = Parameters<ReturnType<typeof useApi>["tools"]["update"]>[1];

export function useToolActions() {
  const client = useApi();
  const invalidate = useInvalidate();
  const refresh = () => invalidate("tools");
  return {
    create: useMutation({
      mutationFn: (input: CreateToolInput) => client.tools.create(input),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, changes }: { id: string; changes: ToolChanges }) => client.tools.update(id, changes),
      onSuccess: refresh,
    }),
    remove: (tool: Tool) => client.tools.delete(tool.id).then(refresh),
    test: useMutation({
      mutationFn: ({ id, args, tool }: { id: string; args: Record<string, unknown>; tool?: string }) =>
        client.tools.test(id, { arguments: args, ...(tool ? { tool } : {}) }),
    }),
  };
}
