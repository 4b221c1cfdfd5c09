SELECT "t0"."id" AS "id", "t0"."title" AS "title", "t0"."price" AS "price" FROM "posts" "t0" WHERE ((("t0"."title" LIKE ? ESCAPE '!') AND "t0"."views" > ? AND EXISTS (SELECT 1 FROM "users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = ?))) ORDER BY "t0"."views" DESC NULLS FIRST, "t0"."id" ASC NULLS LAST LIMIT 20 OFFSET 20
[Text("%50!%%"), Int(10), Text("ann")]
SELECT COUNT(*) FROM "posts" "t0" WHERE ((("t0"."title" LIKE ? ESCAPE '!') AND "t0"."views" > ? AND EXISTS (SELECT 1 FROM "users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = ?)))
INSERT INTO "posts" ("title", "views") VALUES (?, ?) RETURNING json_array("id")
UPDATE "posts" AS "t0" SET "title" = ?, "views" = ? WHERE "t0"."id" = ?
DELETE FROM "posts" AS "t0" WHERE "t0"."id" = ?
