/** @jest-environment jsdom */
/**
 * Avatars' white initials meet WCAG 2.2 SC 1.4.3's 4.5:1 on every person's colour (avatar-color.ts), in
 * the messages and in the members panel, online or offline. At hsl(h 48% 44%) yellows and greens gave
 * white about 3:1 ("grace", hue 64: 2.9:1); an offline member's avatar, faded to 60 % over the sidebar,
 * 1.7–3.4:1.
 */
import fs from "node:fs";
import path from "node:path";
import { render, screen, waitFor, within } from "@testing-library/react";
import { avatarColor, avatarColorForHue, contrastRatio, MIN_TEXT_CONTRAST, OFFLINE_AVATAR_COLOR, relativeLuminance } from "@/components/chat/avatar-color";
import { MemberList } from "@/components/chat/member-list";
import { MessageList } from "@/components/chat/message-list";
import { nameHue } from "@/components/chat/message-rows";
import { message } from "./fixtures";

const WHITE = "#ffffff";

/** The hue (degrees) of a `#rrggbb` colour. */
function hueOf(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** CSS's hsl(h s% l%) as `#rrggbb` (CSS Color 4's conversion, written out again here). */
function hsl(h: number, s: number, l: number): string {
  const c = (1 - Math.abs((2 * l) / 100 - 1)) * (s / 100);
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l / 100 - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return "#" + [r, g, b].map((v) => Math.round((v + m) * 255).toString(16).padStart(2, "0")).join("");
}

const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

describe("the WCAG contrast arithmetic", () => {
  it("gives the ratios the definition does", () => {
    expect(relativeLuminance(WHITE)).toBe(1);
    expect(relativeLuminance("#000000")).toBe(0);
    expect(contrastRatio(WHITE, "#000000")).toBe(21);
    expect(contrastRatio("#000000", WHITE)).toBe(21);
    // Well-known values: #767676 is the lightest grey that meets 4.5:1 on white, #777777 is not.
    expect(contrastRatio("#767676", WHITE)).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", WHITE)).toBeLessThan(4.5);
  });
});

describe("avatar colours", () => {
  it("give white initials at least 4.5:1 at every one of the 360 hues", () => {
    const low = [];
    for (let hue = 0; hue < 360; hue++) {
      const ratio = contrastRatio(avatarColorForHue(hue), WHITE);
      if (ratio < MIN_TEXT_CONTRAST) low.push(`${hue}: ${ratio.toFixed(2)}`);
    }
    expect(low).toEqual([]);
    expect(MIN_TEXT_CONTRAST).toBe(4.5);
  });

  it("keep each hue (people stay told apart by colour), darkened no more than needed", () => {
    for (let hue = 0; hue < 360; hue++) {
      const color = avatarColorForHue(hue);
      expect(hueDistance(hueOf(color), hue)).toBeLessThanOrEqual(2);
      // hsl(hue 48% L): L is 44 (the colour avatars had) or the lightest whole percent that meets 4.5:1.
      const lightness = Array.from({ length: 45 }, (_, l) => l).find((l) => hsl(hue, 48, l) === color);
      expect(lightness).toBeDefined();
      if (lightness! < 44) expect(contrastRatio(hsl(hue, 48, lightness! + 1), WHITE)).toBeLessThan(4.5);
    }
    // Blue already met it: unchanged; yellow did not (2.9:1 at hue 64), and is darkened to meet it, still yellow.
    expect(avatarColorForHue(240)).toBe(hsl(240, 48, 44));
    expect(contrastRatio(hsl(64, 48, 44), WHITE)).toBeLessThan(3);
    expect(avatarColorForHue(64)).not.toBe(hsl(64, 48, 44));
    expect(new Set(Array.from({ length: 360 }, (_, h) => avatarColorForHue(h))).size).toBeGreaterThan(300);
  });

  it.each(["alice", "bob", "grace", "heidi", "trent", "たろう", "さくら", "ゆき"])("gives %s a colour of their hue that white meets 4.5:1 on", (name) => {
    const color = avatarColor(name);
    expect(color).toMatch(/^#[0-9a-f]{6}$/);
    expect(color).toBe(avatarColorForHue(nameHue(name)));
    expect(contrastRatio(color, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(hueDistance(hueOf(color), nameHue(name))).toBeLessThanOrEqual(2);
  });

  it("paints an offline member's avatar a grey that white meets 4.5:1 on", () => {
    expect(contrastRatio(OFFLINE_AVATAR_COLOR, WHITE)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("avatars on the page", () => {
  const avatarBg = (el: Element) => (el as HTMLElement).style.getPropertyValue("--avatar-bg");

  it("paints a message's avatar its author's colour", async () => {
    render(
      <MessageList
        room="general" messages={[message(1, { author: "grace" }), message(9, { author: "たろう" })]}
        hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
      />,
    );
    const log = screen.getByRole("log");
    // The list's roving focus settled (its lazily loaded part is in).
    await waitFor(() => expect(log.querySelector("li.message[tabindex='0']")).not.toBeNull());
    const avatars = Array.from(log.querySelectorAll(".avatar"));
    expect(avatars.map((a) => [a.textContent, avatarBg(a)])).toEqual([["G", avatarColor("grace")], ["た", avatarColor("たろう")]]);
  });

  it("paints a member here their colour and one away the offline grey, at full opacity", () => {
    render(<MemberList members={[{ name: "grace", online: true }, { name: "trent", online: false }]} />);
    const [here, away] = within(screen.getByRole("list")).getAllByRole("listitem").map((li) => li.querySelector(".avatar")!);
    expect(here.textContent).toBe("G");
    expect(avatarBg(here)).toBe(avatarColor("grace"));
    expect(away.textContent).toBe("T");
    expect(avatarBg(away)).toBe(OFFLINE_AVATAR_COLOR);
  });

  it("takes the colour from that property in the style sheets, and does not fade an offline member's avatar", () => {
    const css = (file: string) => fs.readFileSync(path.join(__dirname, "../../..", file), "utf8");
    const avatarRule = /\.avatar \{([^}]*)\}/.exec(css("components/chat/messages.css"))![1];
    expect(avatarRule).toMatch(/background: var\(--avatar-bg, #3a3aa6\);/);
    expect(avatarRule).toMatch(/color: #fff;/);
    // Nothing in any chat style sheet changes an avatar's opacity or filters its colours.
    for (const file of ["components/chat/messages.css", "components/chat/rooms.css", "components/chat/chat.css"]) {
      const rules = css(file).replace(/\/\*[\s\S]*?\*\//g, "").match(/[^{}]*\.avatar[^{}]*\{[^}]*\}/g) ?? [];
      for (const rule of rules) expect(rule).not.toMatch(/opacity|filter/);
    }
  });
});
