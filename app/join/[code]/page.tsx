import type { Metadata } from "next";
import { JoinForm } from "@/components/auth/join-form";

export const metadata: Metadata = { title: "Join" };

type Props = { params: Promise<{ code: string }> };

export default async function JoinPage({ params }: Props) {
  const { code } = await params;
  return <JoinForm code={decode(code)} />;
}

/** A malformed escape (a stray `%`) is passed on as typed; the server then answers 404. */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
