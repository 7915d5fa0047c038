import { HomeRedirect } from "@/components/chat/home-redirect";

export default function HomePage() {
  return <HomeRedirect />;
}
