import { defaultAllowedHosts, hostAllowed, hostNameOf } from "../../lib/http/allowed-hosts";

describe("the Host check", () => {
  it("reads the host name of a Host header: lower case, no trailing dot, IPv6 without brackets", () => {
    expect(hostNameOf("Chat.Example.COM.:8080")).toBe("chat.example.com");
    expect(hostNameOf("[::1]:3000")).toBe("::1");
    expect(hostNameOf("[::FFFF:127.0.0.1]")).toBe("::ffff:127.0.0.1");
    for (const bad of ["", " ", "[::1", "[nope]:1", "a:b:c", "a b", "user@host", "host/path", ".example", "a:123456"]) expect([bad, hostNameOf(bad)]).toEqual([bad, undefined]);
  });

  it("allows IP literals and localhost whatever the list, and list entries by name or leading-dot suffix", () => {
    for (const host of ["10.0.0.1", "[fe80::1]:80", "localhost", "a.localhost:3000", "127.0.0.1.:3000"]) expect([host, hostAllowed(host, [])]).toEqual([host, true]);
    expect(hostAllowed("chat.example", ["chat.example"])).toBe(true);
    expect(hostAllowed("x.chat.example", ["chat.example"])).toBe(false);
    expect(hostAllowed("x.chat.example", [".chat.example"])).toBe(true);
    expect(hostAllowed("chat.example", [".chat.example"])).toBe(true);
    expect(hostAllowed("notchat.example", [".chat.example"])).toBe(false);
    expect(hostAllowed("127.0.0.1.nip.io", [])).toBe(false);
    expect(hostAllowed("anything", ["*"])).toBe(true);
    expect(hostAllowed(undefined, [])).toBe(true);
    expect(hostAllowed("", ["*"])).toBe(false);
  });

  it("defaults to the machine's host name, its .local form, and HOST when it is a name", () => {
    expect(defaultAllowedHosts({ hostname: "Box", listenHost: "0.0.0.0" })).toEqual(["box", "box.local"]);
    expect(defaultAllowedHosts({ hostname: "box.lan", listenHost: "chat.internal" })).toEqual(["box.lan", "chat.internal"]);
    expect(defaultAllowedHosts({ hostname: "", listenHost: "::" })).toEqual([]);
  });
});
