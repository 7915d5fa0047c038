import { Router } from "express";
import type { Chat } from "../chat/chat";
import type { Identify } from "../auth/identify";
import { httpSendSchema, parseBody } from "./schemas";
import { identityOf, requireUser } from "./guards";

export type RoomRouteDeps = {
  chat: Chat;
  identify: Identify;
};

/** HTTP posting for bots and scripts: validated like the socket event, delivered like any other message. */
export function roomRoutes(deps: RoomRouteDeps): Router {
  const r = Router();
  r.post("/:room/messages", requireUser(deps.identify), async (req, res) => {
    const body = parseBody(httpSendSchema, req);
    const { message, created } = await deps.chat.send(identityOf(res).user, {
      room: req.params.room,
      text: body.text,
      clientId: body.clientId,
      attachments: body.attachments,
      threadId: body.threadId,
    });
    res.status(created ? 201 : 200).json({ message });
  });
  return r;
}
