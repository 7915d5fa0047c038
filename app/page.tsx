import { redirect } from "next/navigation";
import { HomeRedirect } from "@/components/chat/home-redirect";
import { pageData } from "@/lib/pages/request";

/** `/`: a server with no account yet goes to /setup at once; otherwise the room the user was last in. */
export default async function HomePage() {
  if (await pageData()?.setupRequired()) redirect("/setup");
  return <HomeRedirect />;
}
