import { type Http, type RequestOptions, segment } from "../http.ts";
import type { Role } from "./me.ts";

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export function membersResource(http: Http) {
  return {
    async list(options?: RequestOptions): Promise<Member[]> {
      return (await http.get<{ data: Member[] }>("/members", options)).data;
    },
    update(userId: string, input: { role: Role }, options?: RequestOptions): Promise<Member> {
      return http.patch<Member>(`/members/${segment(userId)}`, input, options);
    },
    /** Removes a member; with your own user id, leaves the organization. */
    remove(userId: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/members/${segment(userId)}`, options);
    },
  };
}
