/**
 * The chat's own refusals, for a request to the server that got no acknowledgement: one made while not
 * connected (`offline`) or not answered in time (`timeout`). They are shown as the server's are, by code
 * in the UI's language (codeText); `message` is only an English fallback. A leaf module: the first load's
 * hook answers with them before the socket client has loaded.
 */
import type { Refusal } from "@/components/auth/api";
import type { Answer } from "./chat-types";

export const OFFLINE: Refusal = { code: "offline", message: "Not connected to the server." };
export const NO_ANSWER: Refusal = { code: "timeout", message: "The server did not answer in time." };

/** A request refused by the client itself (`refused(OFFLINE)`), as an answer. */
export const refused = (error: Refusal): Answer<never> => ({ ok: false, error });
