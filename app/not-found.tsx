import { NotFoundPage } from "@/components/not-found-page";

/** Every address without a page of its own (a 404): said in the reader's language. */
export default function NotFound() {
  return <NotFoundPage />;
}
