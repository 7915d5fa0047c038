"use client";
/**
 * The card under a message with a link: title, description and site of the linked page, with its image
 * as the server proxies it (`/api/previews/<id>/image`). Only same-origin image URLs are ever loaded, so
 * a reader's browser never contacts the linked site until they open the link.
 */
import type { LinkPreview } from "@/lib/chat/types";
import { useControlTabIndex } from "./message-focus";
import { siteHost } from "@/lib/text/link-host";

const sameOrigin = (url: string | undefined) => !!url && url.startsWith("/") && !url.startsWith("//");


/**
 * The card's site line: the linked page's own name for itself (`og:site_name`) and the host the card
 * opens, which the page cannot choose: a page at evil.example saying it is "Google" reads
 * "Google · evil.example". The name alone when it is that host (with or without `www.`).
 */
function SiteLine({ siteName, url }: { siteName?: string; url: string }) {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = "";
  }
  if (!siteName || siteHost(siteName) === siteHost(host)) return <span className="link-preview-site" dir="auto">{siteName || host}</span>;
  return (
    <span className="link-preview-site">
      <bdi>{siteName}</bdi> · <bdi>{host}</bdi>
    </span>
  );
}

export function LinkPreviewCard({ preview }: { preview: LinkPreview }) {
  // Out of the Tab order while the message is not its list's current one (message-focus.ts).
  const tabIndex = useControlTabIndex();
  if (!/^https?:\/\//i.test(preview.url)) return null;
  return (
    <a className="link-preview" tabIndex={tabIndex} href={preview.url} target="_blank" rel="noopener noreferrer nofollow">
      <span className="link-preview-body">
        <SiteLine siteName={preview.siteName} url={preview.url} />
        {preview.title && <span className="link-preview-title" dir="auto">{preview.title}</span>}
        {preview.description && <span className="link-preview-description" dir="auto">{preview.description}</span>}
      </span>
      {sameOrigin(preview.imageUrl) && (
        <img
          className="link-preview-image" src={preview.imageUrl} alt="" loading="lazy" decoding="async" width={72} height={72}
          // The site may have dropped the image since, or the reader is a guest without a session: no broken icon.
          onError={(e) => {
            e.currentTarget.hidden = true;
          }}
        />
      )}
    </a>
  );
}
