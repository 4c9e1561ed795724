import { type Http, type RequestOptions, segment } from "../http.ts";

/** A Twilio number routed to an agent; its auth token is write-only. */
export interface PhoneNumber {
  id: string;
  number: string;
  agentId: string;
  provider: "twilio";
  createdAt: string;
}

export interface CreatePhoneNumberInput {
  /** E.164, e.g. `+15551234567`. */
  number: string;
  agentId: string;
  /** Verifies Twilio's webhook signatures; never returned. */
  twilioAuthToken: string;
}

export function phoneNumbersResource(http: Http) {
  return {
    create(input: CreatePhoneNumberInput, options?: RequestOptions): Promise<PhoneNumber> {
      return http.post<PhoneNumber>("/phone-numbers", input, options);
    },
    async list(options?: RequestOptions): Promise<PhoneNumber[]> {
      return (await http.get<{ data: PhoneNumber[] }>("/phone-numbers", options)).data;
    },
    delete(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/phone-numbers/${segment(id)}`, options);
    },
  };
}
