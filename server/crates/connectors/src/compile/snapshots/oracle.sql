SELECT "t0"."id" AS "id", "t0"."title" AS "title", "t0"."price" AS "price" FROM "public"."posts" "t0" WHERE (((LOWER("t0"."title") LIKE LOWER(:1) ESCAPE '!') AND "t0"."views" > :2 AND EXISTS (SELECT 1 FROM "public"."users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = :3))) ORDER BY "t0"."views" DESC, "t0"."id" ASC OFFSET 20 ROWS FETCH NEXT 20 ROWS ONLY
[Text("%50!%%"), Int(10), Text("ann")]
SELECT COUNT(*) FROM "public"."posts" "t0" WHERE (((LOWER("t0"."title") LIKE LOWER(:1) ESCAPE '!') AND "t0"."views" > :2 AND EXISTS (SELECT 1 FROM "public"."users" "t1" WHERE "t1"."id" = "t0"."author_id" AND "t1"."name" = :3)))
INSERT INTO "public"."posts" ("title", "views") VALUES (:1, :2)
UPDATE "public"."posts" "t0" SET "title" = :1, "views" = :2 WHERE "t0"."id" = :3
DELETE FROM "public"."posts" "t0" WHERE "t0"."id" = :1
