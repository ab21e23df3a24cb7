0x = f()  # prodlint-ignore budget, data-access/* -- reviewed until 2030-02-29
# noqa # prodlint-ignore budget -- a # prodlint-ignore meta


# other
call()
