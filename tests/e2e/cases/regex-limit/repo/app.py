short = "aaaa"
near_miss = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
