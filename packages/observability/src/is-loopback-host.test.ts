import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "./is-loopback-host.js";

describe("isLoopbackHost (DESIGN §7)", () => {
  it("accepts loopback names and addresses only", () => {
    for (const h of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "LOCALHOST",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of [
      "0.0.0.0",
      "::",
      "192.168.1.10",
      "10.0.0.1",
      "example.com",
      "localhost.evil.com",
      "128.0.0.1",
      "",
    ]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});
