SELECT [t0].[id] AS [id], [t0].[title] AS [title], [t0].[price] AS [price] FROM [public].[posts] [t0] WHERE (((LOWER([t0].[title]) LIKE LOWER(@P1) ESCAPE '!') AND [t0].[views] > @P2 AND EXISTS (SELECT 1 FROM [public].[users] [t1] WHERE [t1].[id] = [t0].[author_id] AND [t1].[name] = @P3))) ORDER BY CASE WHEN [t0].[views] IS NULL THEN 1 ELSE 0 END DESC, [t0].[views] DESC, CASE WHEN [t0].[id] IS NULL THEN 1 ELSE 0 END ASC, [t0].[id] ASC OFFSET 20 ROWS FETCH NEXT 20 ROWS ONLY
[Text("%50!%%"), Int(10), Text("ann")]
SELECT COUNT(*) FROM [public].[posts] [t0] WHERE (((LOWER([t0].[title]) LIKE LOWER(@P1) ESCAPE '!') AND [t0].[views] > @P2 AND EXISTS (SELECT 1 FROM [public].[users] [t1] WHERE [t1].[id] = [t0].[author_id] AND [t1].[name] = @P3)))
INSERT INTO [public].[posts] ([title], [views]) VALUES (@P1, @P2)
UPDATE [t0] SET [title] = @P1, [views] = @P2 FROM [public].[posts] AS [t0] WHERE [t0].[id] = @P3
DELETE [t0] FROM [public].[posts] AS [t0] WHERE [t0].[id] = @P1
