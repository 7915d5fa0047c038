/**
 * A push endpoint is stored in one spelling (pushEndpointSchema, normalizeEndpoint): the spellings of one
 * endpoint an outside trial used to save another account's endpoint as its own are one; paths RFC 3986
 * keeps apart stay apart.
 */
import { pushEndpointSchema } from "../../lib/push/subscriptions";

const stored = (endpoint: string) => pushEndpointSchema.parse(endpoint);

describe("a push endpoint as stored", () => {
  const endpoint = "https://push.example.com/send/abcDEF123";
  it.each([
    `${endpoint}?`,
    `${endpoint}?&`,
    "https://push.example.com/send/%61bcDEF123",
    "https://push.example.com/%73end/abcDEF123",
    "https://push.example.com./send/abcDEF123",
    "https://PUSH.Example.com:443/send/abc%44EF123",
  ])("is the same endpoint spelled %j", (spelling) => {
    expect(stored(spelling)).toBe(endpoint);
  });

  it("keeps a query a push service uses, with its other escapes in one case and empty parts dropped", () => {
    expect(stored("https://wns2.notify.windows.com/w/?token=BQYAAA%2b%2fx%3d&&")).toBe("https://wns2.notify.windows.com/w/?token=BQYAAA%2B%2Fx%3D");
    expect(stored("https://push.example.com/send/a%2fb")).toBe("https://push.example.com/send/a%2Fb");
  });

  it.each(["https://push.example.com//send/abcDEF123", `${endpoint}/`, "https://push.example.com/send/abcdef123"])("keeps %j apart (another resource)", (other) => {
    expect(stored(other)).not.toBe(endpoint);
  });
});
