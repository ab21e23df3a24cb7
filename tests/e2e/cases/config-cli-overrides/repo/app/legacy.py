from legacy import client


def old(q):
    first = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
    return first


def older(q):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
