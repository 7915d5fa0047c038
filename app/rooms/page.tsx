import { HomeRedirect } from "@/components/chat/home-redirect";

/** `/rooms` on its own has nothing to show; go to a room. */
export default function RoomsIndexPage() {
  return <HomeRedirect />;
}
