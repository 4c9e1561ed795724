import { ValidationError } from "@oratio/core";
import { describe, expect, it } from "vitest";
import { blockedRangeOf, isAddressAllowed, isHostnameAllowed, parseAllowList } from "../src/index.ts";

describe("blockedRangeOf", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrierGradeNat"],
    ["169.254.169.254", "linkLocal"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["64:ff9b::10.0.0.1", "private"],
  ])("blocks %s (%s)", (address, range) => {
    expect(blockedRangeOf(address)).toBe(range);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(blockedRangeOf(address)).toBeUndefined();
  });
});

describe("parseAllowList", () => {
  it("reads hostnames, addresses and CIDR ranges", () => {
    const list = parseAllowList(
      " 127.0.0.1, 10.0.0.0/8 ,llm.internal, *.corp.example, [::1], ::ffff:192.168.0.0/112",
    );
    expect(list.hostnames).toEqual(["llm.internal", "*.corp.example"]);
    expect(isAddressAllowed("127.0.0.1", list)).toBe(true);
    expect(isAddressAllowed("127.0.0.2", list)).toBe(false);
    expect(isAddressAllowed("10.200.3.4", list)).toBe(true);
    expect(isAddressAllowed("::ffff:10.200.3.4", list)).toBe(true);
    expect(isAddressAllowed("::1", list)).toBe(true);
    expect(isAddressAllowed("192.168.4.5", list)).toBe(true);
    expect(isAddressAllowed("192.169.0.1", list)).toBe(false);
    expect(isHostnameAllowed("LLM.internal", list)).toBe(true);
    expect(isHostnameAllowed("a.b.corp.example", list)).toBe(true);
    expect(isHostnameAllowed("corp.example.evil", list)).toBe(false);
  });

  it("is empty for an unset or blank value", () => {
    expect(parseAllowList(undefined).cidrs).toHaveLength(0);
    expect(parseAllowList("  , ").hostnames).toHaveLength(0);
  });

  it.each(["10.0.0.0/33", "http://x.example", "bad host"])("rejects %s with a validation error", (entry) => {
    expect(() => parseAllowList(entry)).toThrow(ValidationError);
  });
});
