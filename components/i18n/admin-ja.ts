/** 管理画面の日本語テキスト。 */
import type { adminEn } from "./admin-strings";
import type { Dictionary } from "./text";

export const adminJa: Dictionary<keyof typeof adminEn> = {
  "admin.title": "管理",
  "admin.only": "管理者専用",
  "admin.onlyBody": "このページはサーバーの管理者だけが使えます。",
  "admin.logsLink": "ライブログ",
  "admin.failed": "エラーが発生しました: {reason}",

  "users.title": "ユーザー",
  "users.name": "名前",
  "users.kind": "種類",
  "users.role": "役割",
  "users.state": "状態",
  "users.actions": "操作",
  "users.kind.user": "ユーザー",
  "users.kind.bot": "ボット",
  "users.kind.guest": "ゲスト",
  "users.admin": "管理者",
  "users.member": "メンバー",
  "users.active": "有効",
  "users.deactivated": "無効",
  "users.deactivate": "無効にする",
  "users.reactivate": "有効にする",
  "users.deactivateLabel": "{name}を無効にする",
  "users.reactivateLabel": "{name}を有効にする",
  "users.confirmDeactivate": "{name}を無効にしますか？すべての端末ですぐにサインアウトされます。",
  "users.none": "まだアカウントがありません。",

  "join.title": "招待リンク",
  "join.intro": "このリンクを知っている人は誰でもアカウントを作れます。再発行すると古いリンクは使えなくなります。",
  "join.url": "招待リンク",
  "join.rotate": "再発行",
  "join.rotated": "新しいリンクを発行しました。古いリンクはもう使えません。",

  "bots.title": "ボット",
  "bots.intro": "ボットはトークンで投稿します: POST /api/rooms/<room>/messages（Authorization: Bearer <token>）。",
  "bots.name": "ボット名",
  "bots.create": "ボットを作成",
  "bots.token": "{name}のトークン",
  "bots.once": "今すぐこのトークンをコピーしてください。二度と表示されません。",

  "guests.title": "ゲストアクセス",
  "guests.label": "アカウントのない人も公開ルームで会話できるようにする",
  "guests.on": "ゲストが参加できます。",
  "guests.off": "アカウントを持つ人だけが参加できます。",

  "announce.title": "お知らせ",
  "announce.label": "全員へのメッセージ",
  "announce.send": "お知らせを送信",
  "announce.sent": "お知らせを送信しました。",
  "announce.empty": "お知らせの内容を入力してください。",

  "logs.title": "ライブログ",
  "logs.levels": "レベル",
  "logs.autoScroll": "自動スクロール",
  "logs.clear": "クリア",
  "logs.count.other": "{count} 件",
  "logs.empty": "ログはまだありません。",
  "logs.list": "ログ",
  "logs.stream": "ログストリーム",
};
