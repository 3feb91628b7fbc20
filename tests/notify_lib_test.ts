/**
 * Notifications in KV (lib/notify/notifications.ts): the atomic append used by the
 * check-in, listing, unread counter, mark read, delete, ownership, retention, rendering.
 */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { NotFound } from "@/lib/errors.ts";
import {
  addNotificationOps,
  createNotification,
  deleteNotification,
  deleteReadOlderThan,
  formatNotification,
  keys,
  listNotifications,
  listNotificationsAfter,
  markAllRead,
  markRead,
  type Notification,
  recountUnread,
  unreadCount,
} from "@/lib/notify/notifications.ts";

const kv = await Deno.openKv(":memory:");
useKv(kv);
globalThis.addEventListener("unload", () => kv.close());

function arrived(name: string, late = false) {
  return {
    appointmentId: newId(),
    guestName: name,
    purpose: "Rapat orang tua",
    arrivedAt: new Date().toISOString(),
    late,
  };
}

Deno.test("addNotificationOps writes only with the caller's commit", async () => {
  const user = newId();
  // A failing check in the caller's transaction: nothing is written.
  const op = kv.atomic().check({ key: ["never"], versionstamp: "00000000000000010000" });
  const { id } = addNotificationOps(op, { userId: user, kind: "guest_arrived", data: arrived("Ani") });
  assert.equal((await op.commit()).ok, false);
  assert.equal((await kv.get(keys.notification(user, id))).value, null);
  assert.equal(await unreadCount(user), 0);

  const op2 = kv.atomic().set(["appointments_test", "x"], 1);
  const r = addNotificationOps(op2, { userId: user, kind: "guest_arrived", data: arrived("Ani") });
  const res = await op2.commit();
  assert.ok(res.ok);
  const n = (await kv.get<Notification>(keys.notification(user, r.id))).value!;
  assert.equal(n.schemaVersion, 1);
  assert.equal(n.userId, user);
  assert.equal(n.readAt, null);
  assert.equal(n.data.guestName, "Ani");
  const feed = await kv.get(keys.feed(user, r.id));
  assert.equal(feed.versionstamp, res.versionstamp, "feed copy carries the creating commit's versionstamp");
  assert.equal((await kv.get(keys.head(user))).versionstamp, res.versionstamp);
  assert.equal(await unreadCount(user), 1);
});

Deno.test("addNotificationOps rejects programming errors", () => {
  const op = kv.atomic();
  assert.throws(() => addNotificationOps(op, { userId: "", kind: "x", data: {} }), TypeError);
  assert.throws(() => addNotificationOps(op, { userId: "u", kind: "", data: {} }), TypeError);
  assert.throws(
    () => addNotificationOps(op, { userId: "u", kind: "x", data: [] as unknown as Record<string, unknown> }),
    TypeError,
  );
  assert.throws(() => addNotificationOps(op, { userId: "u", kind: "x", data: { big: "x".repeat(9000) } }), RangeError);
});

Deno.test("list newest first with cursor; listNotificationsAfter oldest first", async () => {
  const user = newId();
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    ids.push((await createNotification({ userId: user, kind: "guest_arrived", data: arrived(`G${i}`) })).id);
  }
  const p1 = await listNotifications(user, { limit: 3 });
  assert.deepEqual(p1.items.map((n) => n.id), ids.slice(4).reverse());
  assert.ok(p1.cursor);
  const p2 = await listNotifications(user, { cursor: p1.cursor, limit: 3 });
  assert.deepEqual(p2.items.map((n) => n.id), ids.slice(1, 4).reverse());
  const p3 = await listNotifications(user, { cursor: p2.cursor, limit: 3 });
  assert.deepEqual(p3.items.map((n) => n.id), [ids[0]]);
  assert.equal(p3.cursor, null);
  await assert.rejects(
    () => listNotifications(user, { cursor: "not-a-cursor!!" }),
    (e: Error) => e.name !== "" && "status" in e,
  );

  assert.deepEqual((await listNotificationsAfter(user, null, 100)).map((n) => n.id), ids);
  assert.deepEqual((await listNotificationsAfter(user, ids[2], 3)).map((n) => n.id), ids.slice(3, 6));
  assert.deepEqual(await listNotificationsAfter(user, ids[6], 10), []);
});

Deno.test("unread counter: mark read (idempotent), mark all read, delete", async () => {
  const user = newId();
  const ns: Notification[] = [];
  for (let i = 0; i < 5; i++) {
    ns.push(await createNotification({ userId: user, kind: "guest_arrived", data: arrived(`G${i}`) }));
  }
  assert.equal(await unreadCount(user), 5);
  const r = await markRead(user, ns[0].id);
  assert.ok(r.readAt);
  assert.equal(await unreadCount(user), 4);
  const again = await markRead(user, ns[0].id);
  assert.equal(again.readAt, r.readAt, "second mark read changes nothing");
  assert.equal(await unreadCount(user), 4);
  // Concurrent marks of the same notification count once.
  await Promise.all([markRead(user, ns[1].id), markRead(user, ns[1].id), markRead(user, ns[1].id)]);
  assert.equal(await unreadCount(user), 3);
  await deleteNotification(user, ns[2].id); // unread → count drops
  assert.equal(await unreadCount(user), 2);
  await deleteNotification(user, ns[0].id); // read → count unchanged, index gone
  assert.equal(await unreadCount(user), 2);
  assert.equal(await markAllRead(user), 2);
  assert.equal(await unreadCount(user), 0);
  assert.equal(await markAllRead(user), 0);
  assert.equal(await recountUnread(user), 0);
  const items = (await listNotifications(user, { limit: 100 })).items;
  assert.equal(items.length, 3);
  assert.ok(items.every((n) => n.readAt !== null));
  assert.equal((await kv.get(keys.feed(user, ns[2].id))).value, null, "feed copy deleted with the notification");
});

Deno.test("markAllRead over more than one commit (100 checks per atomic)", async () => {
  const user = newId();
  for (let i = 0; i < 230; i++) {
    await createNotification({ userId: user, kind: "guest_arrived", data: arrived(`G${i}`) });
  }
  await markRead(user, (await listNotifications(user, { limit: 1 })).items[0].id);
  assert.equal(await unreadCount(user), 229);
  assert.equal(await markAllRead(user), 229);
  assert.equal(await unreadCount(user), 0);
  assert.equal(await recountUnread(user), 0);
});

Deno.test("ownership: another user's id is NotFound for read and delete, and stays untouched", async () => {
  const a = newId();
  const b = newId();
  const n = await createNotification({ userId: a, kind: "guest_arrived", data: arrived("Ani") });
  await assert.rejects(() => markRead(b, n.id), NotFound);
  await assert.rejects(() => deleteNotification(b, n.id), NotFound);
  await assert.rejects(() => markRead(a, "../../etc"), NotFound);
  await assert.rejects(() => deleteNotification(a, newId()), NotFound);
  assert.equal((await listNotifications(b)).items.length, 0);
  assert.equal(await markAllRead(b), 0);
  assert.equal(await unreadCount(a), 1);
  assert.equal((await kv.get<Notification>(keys.notification(a, n.id))).value!.readAt, null);
});

Deno.test("retention deletes read notifications older than N days, never unread ones", async () => {
  const user = newId();
  const old = await createNotification({ userId: user, kind: "guest_arrived", data: arrived("Lama") });
  const recent = await createNotification({ userId: user, kind: "guest_arrived", data: arrived("Baru") });
  const unread = await createNotification({ userId: user, kind: "guest_arrived", data: arrived("Belum") });
  const now = Date.now();
  await markRead(user, old.id, new Date(now - 31 * 86_400_000));
  await markRead(user, recent.id, new Date(now - 29 * 86_400_000));
  const deleted = await deleteReadOlderThan(30, new Date(now));
  assert.ok(deleted >= 1);
  const left = (await listNotifications(user, { limit: 10 })).items.map((n) => n.id);
  assert.deepEqual(left.sort(), [recent.id, unread.id].sort());
  assert.equal((await kv.get(keys.feed(user, old.id))).value, null);
  assert.equal(await unreadCount(user), 1);
});

Deno.test("formatNotification renders id/en at display time with time zone and on time/late", () => {
  const n: Notification = {
    schemaVersion: 1,
    id: newId(),
    userId: "u",
    kind: "guest_arrived",
    data: {
      appointmentId: "a",
      guestName: "Budi",
      purpose: "Konsultasi",
      arrivedAt: "2026-11-20T02:05:00.000Z",
      late: true,
    },
    createdAt: "2026-11-20T02:05:00.000Z",
    readAt: null,
  };
  const now = new Date("2026-11-20T05:00:00.000Z"); // same day in Asia/Jakarta (UTC+7)
  const id = formatNotification(n, "id", now);
  assert.equal(id.text, "Tamu Budi telah tiba untuk Konsultasi");
  assert.equal(id.detail, "Tiba pukul 09.05 · Terlambat");
  const en = formatNotification({ ...n, data: { ...n.data, late: false } }, "en", now);
  assert.equal(en.text, "Guest Budi has arrived for Konsultasi");
  assert.equal(en.detail, "Arrived at 09:05 · On time");
  const later = formatNotification(n, "en", new Date("2026-11-22T05:00:00.000Z"));
  assert.match(later.detail, /^Arrived at 20 Nov 09:05/);
  const other = formatNotification({ ...n, kind: "something_else", data: {} }, "en", now);
  assert.equal(other.text, "New notification");
});

Deno.test("i18n: the notify dictionary has the same keys in id and en, and the bell's keys exist", async () => {
  const { default: notify } = await import("@/lib/i18n/notify.ts");
  const { BELL_KEYS, bellStrings } = await import("@/lib/notify/bell.ts");
  assert.deepEqual(Object.keys(notify.id).sort(), Object.keys(notify.en).sort());
  for (const k of Object.keys(notify.id)) assert.ok(notify.id[k] && notify.en[k], k);
  for (const k of BELL_KEYS) assert.ok(k in notify.id, k);
  assert.equal(bellStrings("en")["notify.bell_unread"], "Notifications, {count} unread");
});
