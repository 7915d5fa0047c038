import { Router } from "express";
import type { Chat } from "../chat/chat";
import type { Identify } from "../auth/identify";
import type { Message } from "../chat/types";
import { identityOf, requireUser } from "./guards";

export type RoomRouteDeps = {
  chat: Chat;
  identify: Identify;
  deliver: (roomId: string, message: Message) => void;
};

/** HTTP posting for bots and scripts: the message is delivered like any other. */
export function roomRoutes(deps: RoomRouteDeps): Router {
  const r = Router();
  r.post("/:room/messages", requireUser(deps.identify), async (req, res) => {
    const body = req.body ?? {};
    const { room, message, created } = await deps.chat.send(identityOf(res).user, {
      room: req.params.room,
      text: body.text,
      clientId: body.clientId,
      attachments: body.attachments,
    });
    if (created) deps.deliver(room.id, message);
    res.status(created ? 201 : 200).json({ message });
  });
  return r;
}
