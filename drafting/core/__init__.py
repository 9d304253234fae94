"""The lowest floor: what any module may use, knowing nothing of requests, the database or the site's
areas (the one memo helper, and the shared text and date rules as they move here)."""
