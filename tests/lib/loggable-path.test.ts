/**
 * What a logged request path keeps (lib/log.ts, loggablePath): the route and ids an operator reads a
 * request line for, never a join code, who a direct conversation is between, or a file's name — the
 * admin live log shows these lines to admins who are not in those rooms.
 */
import { loggablePath } from "../../lib/log";

describe("a logged path", () => {
  it.each([
    ["/rooms/dm:2:3", "/rooms/dm:[redacted]"],
    ["/api/rooms/dm:2:3/uploads", "/api/rooms/dm:[redacted]/uploads"],
    ["/api/rooms/dm%3A12%3A7/messages?before=5", "/api/rooms/dm:[redacted]/messages"],
    ["/api/rooms/DM%3a12%3a7/notifications", "/api/rooms/dm:[redacted]/notifications"],
    // From an outside trial: letters %-encoded too.
    ["/api/rooms/%64m:2:3/notifications", "/api/rooms/dm:[redacted]/notifications"],
    ["/api/rooms/d%6D%3A2%3A3/notifications", "/api/rooms/dm:[redacted]/notifications"],
    ["/rooms/%44%4D%3a2%3a3", "/rooms/dm:[redacted]"],
    ["/api/files/81/salary-review-bob.txt", "/api/files/81/[name]"],
    ["/API/Files/81/%E7%B5%A6%E4%B8%8E.pdf?download=1", "/API/Files/81/[name]"],
    ["/api/files//81//report.pdf", "/api/files//81//[name]"],
    ["/api/join/abc123", "/api/join/[redacted]"],
  ])("%s is logged as %s", (url, logged) => {
    expect(loggablePath(url)).toBe(logged);
  });

  it.each([
    "/rooms/general",
    "/rooms/dmz-planning",
    "/api/rooms/admin:dm:notes/messages",
    "/api/files/81/thumb",
    "/api/rooms/general/uploads",
    "/api/search",
    "/api/rooms/%E0%A4%A/messages",
  ])("keeps %s as it is (a public room's name, a thumbnail, a route)", (url) => {
    expect(loggablePath(url)).toBe(url);
  });
});
