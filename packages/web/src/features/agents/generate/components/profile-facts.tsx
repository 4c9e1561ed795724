import {
  type BusinessProfile,
  type Fact,
  type FactCitation,
  PROFILE_CATEGORIES,
  type ProfileCategory,
} from "@oratio/sdk";
import { FileText } from "lucide-react";
import { Card, CardDescription, CardTitle } from "../../../../components/ui/card.tsx";

const CATEGORY_LABELS: Record<ProfileCategory, string> = {
  locations: "Locations",
  contact: "Contact",
  serviceArea: "Service area",
  services: "Services",
  prices: "Prices and fees",
  booking: "Booking",
  cancellation: "Cancellation and rescheduling",
  payment: "Payment and insurance",
  discounts: "Discounts",
  warranties: "Warranties and guarantees",
  policies: "Policies",
  emergencies: "Emergencies and safety",
  staff: "Staff and credentials",
  languagesAccessibility: "Languages and accessibility",
  faqs: "Frequently asked questions",
  escalationContacts: "Escalation contacts",
};

function sourceName(citation: FactCitation): string {
  return [citation.title || citation.url || "Document", citation.page ? `page ${citation.page}` : null]
    .filter(Boolean)
    .join(", ");
}

/** Where a fact came from; opening it shows the passage it was read from. */
function Source({ citation }: { citation: FactCitation | null }) {
  if (!citation) return <span className="text-xs text-subtle">No source</span>;
  return (
    <details className="group text-xs">
      <summary className="inline-flex cursor-pointer items-center gap-1 text-accent hover:underline dark:text-[#b084ff]">
        <FileText className="size-3" aria-hidden />
        Source: {sourceName(citation)}
      </summary>
      <blockquote className="mt-1 border-l-2 border-accent/50 pl-2 whitespace-pre-wrap text-subtle">
        {citation.excerpt.trim()}
      </blockquote>
      {citation.url && (
        <a
          href={citation.url}
          target="_blank"
          rel="noreferrer"
          className="mt-1 inline-block break-all text-accent underline dark:text-[#b084ff]"
        >
          {citation.url}
        </a>
      )}
    </details>
  );
}

function FactItem({ fact }: { fact: Fact }) {
  return (
    <li className="grid gap-0.5 rounded-md bg-background px-3 py-2">
      <span className="text-sm">{fact.text}</span>
      <Source citation={fact.citation} />
    </li>
  );
}

export function countFacts(profile: BusinessProfile): number {
  return (
    (profile.businessName ? 1 : 0) +
    (profile.description ? 1 : 0) +
    profile.hours.length +
    PROFILE_CATEGORIES.reduce((n, c) => n + (profile[c]?.length ?? 0), 0)
  );
}

/** The business profile the builder extracted: every fact with the document it came from. */
export function ProfileFacts({ profile }: { profile: BusinessProfile }) {
  const filled = PROFILE_CATEGORIES.filter((c) => (profile[c]?.length ?? 0) > 0);
  const empty = PROFILE_CATEGORIES.filter((c) => (profile[c]?.length ?? 0) === 0);
  return (
    <Card className="grid gap-5" aria-labelledby="profile-title">
      <div>
        <CardTitle id="profile-title">Business profile</CardTitle>
        <CardDescription>
          {countFacts(profile)} facts the agents know about your business, each with the passage it was read
          from.
        </CardDescription>
      </div>
      {(profile.businessName || profile.description) && (
        <ul className="grid gap-2">
          {profile.businessName && <FactItem fact={profile.businessName} />}
          {profile.description && <FactItem fact={profile.description} />}
        </ul>
      )}
      {profile.hours.length > 0 && (
        <div className="grid gap-2">
          <h3 className="font-semibold">Opening hours</h3>
          <div className="overflow-x-auto">
            <table className="w-full text-sm" aria-label="Opening hours">
              <thead className="text-left text-xs text-subtle">
                <tr>
                  <th className="py-1 pr-3 font-medium">Location</th>
                  <th className="py-1 pr-3 font-medium">Day</th>
                  <th className="py-1 pr-3 font-medium">Opens</th>
                  <th className="py-1 pr-3 font-medium">Closes</th>
                  <th className="py-1 font-medium">Source</th>
                </tr>
              </thead>
              <tbody>
                {profile.hours.map((h) => (
                  <tr
                    key={`${h.location}-${h.weekday}-${h.opens}`}
                    className="border-t border-border align-top"
                  >
                    <td className="py-1.5 pr-3">{h.location || "—"}</td>
                    <td className="py-1.5 pr-3">{h.weekday}</td>
                    <td className="py-1.5 pr-3">{h.opens}</td>
                    <td className="py-1.5 pr-3">{h.closes}</td>
                    <td className="py-1.5">
                      <Source citation={h.citation} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <div className="grid gap-5 lg:grid-cols-2">
        {filled.map((category) => (
          <section key={category} className="grid content-start gap-2" aria-label={CATEGORY_LABELS[category]}>
            <h3 className="font-semibold">
              {CATEGORY_LABELS[category]}{" "}
              <span className="text-xs font-normal text-subtle">({profile[category].length})</span>
            </h3>
            <ul className="grid gap-1.5">
              {profile[category].map((fact, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: facts may repeat a text; their order is their identity
                <FactItem key={n} fact={fact} />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {empty.length > 0 && (
        <p className="text-sm text-subtle">
          Nothing found for: {empty.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(", ")}. Add it to your
          documents or website and generate again, or tell the agent in its instructions.
        </p>
      )}
    </Card>
  );
}
