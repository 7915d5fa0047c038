import type { Metadata } from "next";
import { servedTitle } from "@/app/served-title";
import { JoinForm } from "@/components/auth/join-form";
import { findRegistry } from "@/lib/registry";

export const generateMetadata = (): Promise<Metadata> => servedTitle("join");

type Props = { params: Promise<{ code: string }> };

export default async function JoinPage({ params }: Props) {
  const { code } = await params;
  const decoded = decode(code);
  // An old (rotated) link says so before anyone fills in the form.
  const valid = await findRegistry()?.pages?.joinLinkValid(decoded);
  return <JoinForm code={decoded} invalid={valid === false} />;
}

/** A malformed escape (a stray `%`) is passed on as typed; the server then answers 404. */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
