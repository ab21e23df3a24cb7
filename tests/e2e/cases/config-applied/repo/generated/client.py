def generated(client):
    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
