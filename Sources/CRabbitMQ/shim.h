#pragma once
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/* Swift cannot call C variadic functions: amqp_login_with_properties takes the SASL
   credentials as varargs. */
static inline amqp_rpc_reply_t itp_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                    int channel_max, int frame_max, int heartbeat,
                                                    const amqp_table_t *properties, const char *user,
                                                    const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/* Method ids and property flags are macros with casts and shifts, which Swift does not
   import; re-export the ones the wrapper uses as typed constants. */
static const amqp_method_number_t ITP_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t ITP_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t ITP_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t ITP_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t ITP_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t ITP_BASIC_CONSUME = AMQP_BASIC_CONSUME_METHOD;
static const amqp_method_number_t ITP_BASIC_CONSUME_OK = AMQP_BASIC_CONSUME_OK_METHOD;
static const amqp_method_number_t ITP_EXCHANGE_DECLARE = AMQP_EXCHANGE_DECLARE_METHOD;
static const amqp_method_number_t ITP_EXCHANGE_DECLARE_OK = AMQP_EXCHANGE_DECLARE_OK_METHOD;
static const amqp_method_number_t ITP_EXCHANGE_DELETE = AMQP_EXCHANGE_DELETE_METHOD;
static const amqp_method_number_t ITP_EXCHANGE_DELETE_OK = AMQP_EXCHANGE_DELETE_OK_METHOD;
static const amqp_method_number_t ITP_QUEUE_DECLARE = AMQP_QUEUE_DECLARE_METHOD;
static const amqp_method_number_t ITP_QUEUE_DECLARE_OK = AMQP_QUEUE_DECLARE_OK_METHOD;
static const amqp_method_number_t ITP_QUEUE_BIND = AMQP_QUEUE_BIND_METHOD;
static const amqp_method_number_t ITP_QUEUE_BIND_OK = AMQP_QUEUE_BIND_OK_METHOD;
static const amqp_method_number_t ITP_QUEUE_DELETE = AMQP_QUEUE_DELETE_METHOD;
static const amqp_method_number_t ITP_QUEUE_DELETE_OK = AMQP_QUEUE_DELETE_OK_METHOD;
static const amqp_method_number_t ITP_QUEUE_PURGE = AMQP_QUEUE_PURGE_METHOD;
static const amqp_method_number_t ITP_QUEUE_PURGE_OK = AMQP_QUEUE_PURGE_OK_METHOD;
static const amqp_method_number_t ITP_CHANNEL_OPEN = AMQP_CHANNEL_OPEN_METHOD;
static const amqp_method_number_t ITP_CHANNEL_OPEN_OK = AMQP_CHANNEL_OPEN_OK_METHOD;
static const amqp_method_number_t ITP_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t ITP_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t ITP_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t ITP_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;
static const amqp_method_number_t ITP_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t ITP_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;

static const amqp_flags_t ITP_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t ITP_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t ITP_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t ITP_FLAG_CORRELATION_ID = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t ITP_FLAG_EXPIRATION = AMQP_BASIC_EXPIRATION_FLAG;
static const amqp_flags_t ITP_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t ITP_FLAG_TIMESTAMP = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t ITP_FLAG_TYPE = AMQP_BASIC_TYPE_FLAG;
